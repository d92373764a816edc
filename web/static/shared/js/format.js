// @ts-check
// Numbers, dates and durations as a Vietnamese (vi-VN) or English (en-GB) reader expects them.
// Times are shown in Vietnam's time zone whatever the computer's.

const ZONE = "Asia/Ho_Chi_Minh";

export class Format {
  /** @param {"vi" | "en"} lang */
  constructor(lang) {
    this.lang = lang;
    this.locale = lang === "en" ? "en-GB" : "vi-VN";
  }

  // num formats a count ("1.234" or "1,234"); a missing value is a dash.
  num(n) {
    if (n === null || n === undefined || !Number.isFinite(n)) return "–";
    return new Intl.NumberFormat(this.locale).format(n);
  }

  // pct formats a ratio (0.126) as a percentage ("12,6%"); whole numbers lose their decimals.
  pct(ratio, digits = 1) {
    if (ratio === null || ratio === undefined || !Number.isFinite(ratio)) return "–";
    const v = ratio * 100;
    const d = Math.abs(v - Math.round(v)) < 0.05 ? 0 : digits;
    return new Intl.NumberFormat(this.locale, { minimumFractionDigits: d, maximumFractionDigits: d }).format(v) + "%";
  }

  // date formats an ISO day ("2030-12-31") or time as 31/12/2030 or 31 Dec 2030.
  date(iso) {
    if (!iso) return "–";
    const [y, m, d] = (iso.length > 10 ? this.isoDay(iso) : iso).split("-").map(Number);
    const dt = new Date(Date.UTC(y, m - 1, d));
    /** @type {Intl.DateTimeFormatOptions} */
    const opts = this.lang === "vi" ? { day: "2-digit", month: "2-digit", year: "numeric", timeZone: "UTC" } : { day: "numeric", month: "short", year: "numeric", timeZone: "UTC" };
    return new Intl.DateTimeFormat(this.locale, opts).format(dt);
  }

  // weekday formats an ISO day with its weekday ("Thứ Năm, 03/12/2026").
  weekday(iso) {
    if (!iso) return "–";
    const [y, m, d] = iso.slice(0, 10).split("-").map(Number);
    return new Intl.DateTimeFormat(this.locale, { weekday: "long", day: "2-digit", month: "2-digit", year: "numeric", timeZone: "UTC" }).format(Date.UTC(y, m - 1, d));
  }

  // isoDay is the day (YYYY-MM-DD) of a time in Vietnam.
  isoDay(iso) {
    const parts = new Intl.DateTimeFormat("en-CA", { timeZone: ZONE, year: "numeric", month: "2-digit", day: "2-digit" }).format(new Date(iso));
    return parts.slice(0, 10);
  }

  // dateTime formats a time as its day and hour in Vietnam ("02/12/2026 16:00").
  dateTime(iso) {
    if (!iso) return "–";
    return `${this.date(iso)} ${this.time(iso)}`;
  }

  time(iso) {
    if (!iso) return "–";
    return new Intl.DateTimeFormat(this.locale, { hour: "2-digit", minute: "2-digit", timeZone: ZONE }).format(new Date(iso));
  }

  bytes(n) {
    if (!Number.isFinite(n)) return "–";
    if (n < 1024) return this.num(n) + " B";
    if (n < 1024 * 1024) return new Intl.NumberFormat(this.locale, { maximumFractionDigits: 0 }).format(n / 1024) + " KB";
    return new Intl.NumberFormat(this.locale, { maximumFractionDigits: 1 }).format(n / 1048576) + " MB";
  }

  // distance formats metres as "350 m" or "1,2 km".
  distance(m) {
    if (m === null || m === undefined || !Number.isFinite(m)) return "–";
    if (m < 1000) return `${Math.round(m / 10) * 10} m`;
    return `${new Intl.NumberFormat(this.locale, { maximumFractionDigits: m < 10000 ? 1 : 0 }).format(m / 1000)} km`;
  }

  // duration formats milliseconds as the two largest units ("2 ngày 3 giờ", "45 phút").
  duration(ms) {
    const vi = this.lang === "vi";
    const mins = Math.max(0, Math.round(Math.abs(ms) / 60000));
    const d = Math.floor(mins / 1440), hh = Math.floor((mins % 1440) / 60), mm = mins % 60;
    const unit = (n, v, e) => `${n} ${vi ? v : e + (n === 1 ? "" : "s")}`;
    if (d > 0) return unit(d, "ngày", "day") + (hh ? " " + unit(hh, "giờ", "hour") : "");
    if (hh > 0) return unit(hh, "giờ", "hour") + (mm ? " " + unit(mm, "phút", "minute") : "");
    return unit(mm, "phút", "minute");
  }

  // countdown says how long until a deadline, or how long ago it passed.
  countdown(iso, now = Date.now()) {
    if (!iso) return "–";
    const left = new Date(iso).getTime() - now;
    const d = this.duration(left);
    if (left >= 0) return this.lang === "vi" ? `còn ${d}` : `${d} left`;
    return this.lang === "vi" ? `quá hạn ${d}` : `${d} overdue`;
  }
}
