// A small line chart in SVG: the last values of one series, scaled to their own maximum.
export function Sparkline({ values, width = 160, height = 36, label, format }: {
  values: (number | undefined)[]; width?: number; height?: number; label: string; format: (v: number) => string;
}) {
  const known = values.filter((v): v is number => v !== undefined && Number.isFinite(v));
  const max = Math.max(...known, 0) || 1;
  const step = values.length > 1 ? width / (values.length - 1) : width;
  const points = values
    .map((v, i) => (v === undefined || !Number.isFinite(v) ? undefined : `${(i * step).toFixed(1)},${(height - 2 - (v / max) * (height - 4)).toFixed(1)}`))
    .filter(Boolean)
    .join(' ');
  const last = known.length ? known[known.length - 1] : undefined;
  return (
    <figure className="spark" aria-label={label}>
      <svg width={width} height={height} viewBox={`0 0 ${width} ${height}`} role="img">
        <title>{label}</title>
        <polyline points={points} fill="none" stroke="currentColor" strokeWidth="1.5" />
      </svg>
      <figcaption><span>{label}</span> <b>{last === undefined ? '–' : format(last)}</b></figcaption>
    </figure>
  );
}
