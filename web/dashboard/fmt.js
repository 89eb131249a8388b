// Numbers as people read them, as the chiso command line writes them
// (src/report/fmt.c): Vietnamese "91,84%", "1.234" and "26/63", English
// "91.84%" and "1,234". Written here rather than with Intl.NumberFormat so
// that every browser, whatever locale data it carries, shows the same text.

const SEP = {
  vi: { decimal: ',', group: '.' },
  en: { decimal: '.', group: ',' },
};

function seps(lang) {
  return SEP[lang] || SEP.vi;
}

// Groups the digits of a whole number by thousands.
function group(digits, sep) {
  let out = '';
  for (let i = 0; i < digits.length; i++) {
    if (i && (digits.length - i) % 3 === 0) out += sep;
    out += digits[i];
  }
  return out;
}

// v rounded half away from zero to `decimals` decimals, on its decimal
// value (15 significant digits first, so that 91.845 stored as
// 91.84499999999999 still gives 91.85, as METHODOLOGY M2.8 rounds).
// Returns [negative, whole digits, decimal digits] or null for no number.
function round(v, decimals) {
  if (typeof v !== 'number' || !Number.isFinite(v)) return null;
  const a = Math.abs(v);
  const [mant, exp] = a.toExponential(14).split('e');
  const digits = mant.replace('.', '');
  // The decimal digits of a: digits with the point after position 1 + exp.
  const point = 1 + Number(exp);
  let whole;
  let frac;
  if (point <= 0) {
    whole = '0';
    frac = '0'.repeat(-point) + digits;
  } else if (point >= digits.length) {
    whole = digits + '0'.repeat(point - digits.length);
    frac = '';
  } else {
    whole = digits.slice(0, point);
    frac = digits.slice(point);
  }
  frac = frac.padEnd(decimals + 1, '0');
  let kept = (whole + frac.slice(0, decimals)).split('').map(Number);
  if (Number(frac[decimals]) >= 5) {
    let i = kept.length - 1;
    while (i >= 0 && kept[i] === 9) kept[i--] = 0;
    if (i < 0) kept.unshift(1);
    else kept[i] += 1;
  }
  const s = kept.join('');
  const w = s.slice(0, s.length - decimals).replace(/^0+(?=\d)/, '') || '0';
  const d = s.slice(s.length - decimals);
  const zero = /^0*$/.test(w + d);
  return [v < 0 && !zero, w, d];
}

// 91.845 with 2 decimals: "91,85" (vi) or "91.85" (en); "–" for no number.
export function fmtNumber(v, decimals, lang) {
  const r = round(v, decimals);
  if (!r) return '–';
  const s = seps(lang);
  return (r[0] ? '-' : '') + group(r[1], s.group) + (decimals ? s.decimal + r[2] : '');
}

// As fmtNumber without trailing zeros: 83.2 gives "83,2", 100 gives "100".
export function fmtTrim(v, decimals, lang) {
  const t = fmtNumber(v, decimals, lang);
  const dec = seps(lang).decimal;
  if (t === '–' || !t.includes(dec)) return t;
  return t.replace(/0+$/, '').replace(new RegExp('\\' + dec + '$'), '');
}

// "91,84%".
export function fmtPercent(v, decimals, lang) {
  const t = fmtNumber(v, decimals, lang);
  return t === '–' ? t : t + '%';
}

// A change with its sign: "+1,5", "-0,25", "0".
export function fmtSigned(v, decimals, lang) {
  const t = fmtTrim(v, decimals, lang);
  if (t === '–' || t.startsWith('-') || /^[0.,]*$/.test(t)) return t;
  return '+' + t;
}

// 1234 gives "1.234" (vi), "1,234" (en).
export function fmtCount(n, lang) {
  if (typeof n !== 'number' || !Number.isFinite(n)) return '–';
  return (n < 0 ? '-' : '') + group(String(Math.trunc(Math.abs(n))), seps(lang).group);
}

// A position among peers: "26/63".
export function fmtRank(rank, of) {
  return rank ? `${rank}/${of}` : '–';
}

// An interval: "62,9 – 66,3".
export function fmtInterval(lo, hi, decimals, lang) {
  if (typeof lo !== 'number' || typeof hi !== 'number') return '–';
  return `${fmtNumber(lo, decimals, lang)} – ${fmtNumber(hi, decimals, lang)}`;
}

// 2024-12-31 gives 31/12/2024 (vi) or 31 Dec 2024 (en): dates as people write them.
export function fmtDate(iso, lang) {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso || '');
  if (!m) return iso || '';
  if (lang === 'en') {
    const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
    return `${Number(m[3])} ${months[Number(m[2]) - 1]} ${m[1]}`;
  }
  return `${m[3]}/${m[2]}/${m[1]}`;
}
