export const perSecond = (v: number) => `${v < 10 ? v.toFixed(2) : v.toFixed(0)}/s`;
export const percent = (v: number) => `${(v * 100).toFixed(v < 0.1 ? 1 : 0)}%`;
export const seconds = (v: number) => (v < 0.001 ? `${(v * 1e6).toFixed(0)} µs` : v < 1 ? `${(v * 1000).toFixed(1)} ms` : `${v.toFixed(2)} s`);
export const time = (iso?: string | null) => (iso ? new Date(iso).toLocaleTimeString() : '');
export const dateTime = (iso?: string | null) => (iso ? new Date(iso).toLocaleString() : '');
export const json = (v: unknown) => (v === undefined || v === null ? '' : typeof v === 'string' ? v : JSON.stringify(v));
