-- wrk script for the soak: a fixed rotation of good calls and guest failures, each answer checked against what its
-- call must answer (status and problem cause). Run with as many threads as connections (-tN -cN): each thread then
-- owns one connection with one call at a time, so request() sends the current call and response() judges the answer
-- against it and moves on (wrk also calls request() once on its own to check the script, which then moves nothing).
-- Environment: SOAK_DELAY_MS, the pause before each request (the steady rate); SOAK_LABEL, printed with the counts.

local calls = {
  -- name, weight, path, body, expected status, expected cause (nil: a success)
  { "ok",          88, "/functions/greet",  '{"name":"world"}', 200, nil },
  { "graphql",      4, "/graphql",          '{"query":"{ greet(name: \\"soak\\") }"}', 200, nil },
  { "abort",        1, "/functions/boom",   '{}',               500, "abort" },
  { "guest_error",  1, "/functions/validate", '{}',             500, "guest_error" },
  { "trap",         2, "/functions/divide", '{"a":1,"b":0}',    500, "trap" },
  { "stack",        2, "/functions/recurse", '{"n":0}',         500, "trap" },
  { "not_found",    1, "/functions/nosuch", '{}',               404, "not_found" },
  { "timeout",      1, "/functions/spin",   '{}',               504, "timeout" },
}

local rotation = {}
for _, c in ipairs(calls) do
  for _ = 1, c[2] do rotation[#rotation + 1] = c end
end
-- Spread each kind over the cycle instead of bursts of one kind: a fixed-stride walk (the stride is prime to the
-- cycle's length) visits every slot once per cycle.
local stride = 37
while #rotation % stride == 0 do stride = stride + 2 end

local threads = {}
local thread_index = 0

function setup(thread)
  thread:set("id", thread_index)
  thread_index = thread_index + 1
  table.insert(threads, thread)
end

local delay_ms = tonumber(os.getenv("SOAK_DELAY_MS") or "0")
local position
counts = {}

function init(args)
  position = (id or 0) * 13
  for _, c in ipairs(calls) do
    c.request = wrk.format("POST", c[3], { ["Content-Type"] = "application/json" }, c[4])
  end
end

function delay()
  return delay_ms
end

local function current()
  return rotation[((position * stride) % #rotation) + 1]
end

function request()
  return current().request
end

local function count(key)
  counts[key] = (counts[key] or 0) + 1
end

function response(status, headers, body)
  local c = current()
  position = position + 1
  local cause = body and string.match(body, '"cause"%s*:%s*"([%w_]+)"') or "-"
  local good = status == c[5] and (c[6] == nil or cause == c[6])
  if good and c[1] == "graphql" and body and string.find(body, '"errors"', 1, true) then good = false end
  count((good and "expected " or "UNEXPECTED ") .. c[1] .. " " .. status .. " " .. (cause or "-"))
end

function done(summary, latency, requests)
  local totals = {}
  for _, t in ipairs(threads) do
    local tc = t:get("counts")
    if tc then
      for k, v in pairs(tc) do totals[k] = (totals[k] or 0) + v end
    end
  end
  local label = os.getenv("SOAK_LABEL") or "-"
  for k, v in pairs(totals) do
    io.write(string.format("count %s %d %s\n", label, v, k))
  end
  local e = summary.errors
  io.write(string.format("errors %s connect=%d read=%d write=%d timeout=%d\n", label, e.connect, e.read, e.write, e.timeout))
  io.write(string.format("latency %s p50=%d p99=%d max=%d\n", label, latency:percentile(50), latency:percentile(99), latency.max))
end
