import { createHash } from 'node:crypto';

/**
 * The pages' one stylesheet. It is served from our own origin (the CSP allows no inline style)
 * under a name holding its hash, so it can be cached for a year and still change with a deploy.
 */
export const STATUS_CSS = `
*{box-sizing:border-box}
html{font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1b1f24;background:#f4f5f7}
body{margin:0}
.wrap{max-width:60rem;margin:0 auto;padding:1.25rem 1rem 2rem}
h1{font-size:1.6rem;margin:.25rem 0}
h2{font-size:1.15rem;margin:2rem 0 .75rem}
h3,h4{font-size:1rem;margin:0}
section>h3{margin:1rem 0 .5rem}
.lead{margin:.25rem 0 0;color:#4a5260}
.banner{margin:1.25rem 0;padding:1rem 1.25rem;border-radius:.5rem;font-weight:600;font-size:1.1rem;color:#fff}
.banner-operational{background:#136c34}
.banner-partial_outage{background:#8a4b00}
.banner-major_outage{background:#a4141c}
.monitors,.incidents{list-style:none;margin:0;padding:0}
.monitor{background:#fff;border:1px solid #d9dde3;border-radius:.5rem;padding:1rem;margin:0 0 .75rem}
.monitor-head{display:flex;flex-wrap:wrap;gap:.5rem;justify-content:space-between;align-items:baseline}
.state{font-weight:600;font-size:.9rem}
.state-up{color:#136c34}.state-down{color:#a4141c}.state-degraded{color:#8a5200}.state-paused,.state-pending,.state-maintenance{color:#4a5260}
.detail{margin:.25rem 0 0;font-size:.875rem;color:#4a5260;overflow-wrap:anywhere}
.bars{display:flex;gap:1px;list-style:none;margin:.75rem 0 .25rem;padding:0;height:2rem}
.bars li{flex:1 1 0;min-width:0;border-radius:1px;background:#c9ced6}
.bars .ok{background:#1f9d4c}.bars .minor{background:#8cc63f}.bars .major{background:#f0a020}.bars .bad{background:#d93025}
.vh{position:absolute;width:1px;height:1px;margin:-1px;padding:0;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap;border:0}
.axis{display:flex;justify-content:space-between;font-size:.75rem;color:#4a5260}
.uptime{display:flex;flex-wrap:wrap;gap:.25rem 1.25rem;margin:.5rem 0 0;font-size:.875rem}
.uptime div{display:flex;gap:.35rem}
.uptime dt{color:#4a5260}.uptime dd{margin:0;font-weight:600}
.figures-label{margin:.75rem 0 0;font-size:.875rem;font-weight:600;color:#4a5260}
.regions{margin-top:.125rem}
.incident{background:#fff;border:1px solid #d9dde3;border-left:4px solid #a4141c;border-radius:.5rem;padding:.75rem 1rem;margin:0 0 .5rem}
.incident.resolved{border-left-color:#136c34}
.incident p{margin:.25rem 0 0;font-size:.875rem}
footer{margin-top:2rem;font-size:.875rem;color:#4a5260}
footer a{color:#1a4fa3}
@media (min-width:48rem){.wrap{padding:2rem 1.5rem 3rem}h1{font-size:2rem}}
`.trim();

export const STATUS_CSS_HASH = createHash('sha256').update(STATUS_CSS).digest('hex').slice(0, 12);
export const STATUS_CSS_PATH = `/status/assets/status.${STATUS_CSS_HASH}.css`;
