// Weather: http.fetch to a declared connection (its API key is a secret the host adds), JSON parsing,
// config values and logging.
import { http, config, log } from "@wafer/sdk";

const BASE = "http://127.0.0.1:8690/weather/"; // the connection's baseUrl in wafer.json

/** Current weather in a city. */
export class Weather {
  city: string = "";
  /** In the configured units (`config.units`). */
  temperature: f64 = 0;
  units: string = "";
  conditions: string = "";
  humidity: i32 = 0;
}

function encode(s: string): string {
  // enough for city names: percent-encode everything but unreserved ASCII
  let out = "";
  let bytes = Uint8Array.wrap(String.UTF8.encode(s));
  for (let i = 0; i < bytes.length; i++) {
    let c = bytes[i];
    let unreserved = (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5A) || (c >= 0x61 && c <= 0x7A) || c == 0x2D || c == 0x2E || c == 0x5F || c == 0x7E;
    out += unreserved ? String.fromCharCode(c) : "%" + (c < 16 ? "0" : "") + c.toString(16).toUpperCase();
  }
  return out;
}

/**
 * The current weather.
 * @param city a city name; empty for the configured default
 */
export function current(city: string): Weather {
  if (city.length == 0) city = config.getOr("defaultCity", "Lisbon");
  let units = config.getOr("units", "metric");
  let response = http.fetch(BASE + "current?city=" + encode(city) + "&units=" + units);
  if (!response.ok) throw new Error("weather API answered " + response.status.toString() + " " + response.statusText + ": " + response.text());
  let body = response.json();
  let w = new Weather();
  w.city = body.get("city").asString();
  w.temperature = body.get("temperature").asF64();
  w.units = body.get("units").asString();
  w.conditions = body.get("conditions").asString();
  w.humidity = body.get("humidity").asI32();
  log.info("weather in " + w.city + ": " + w.conditions);
  return w;
}

/** A one-line forecast for several cities. */
export function summary(cities: string[]): string[] {
  let out: string[] = [];
  for (let i = 0; i < cities.length; i++) {
    let w = current(cities[i]);
    out.push(w.city + ": " + w.conditions + ", " + w.temperature.toString() + " " + w.units);
  }
  return out;
}
