// chiso: the citizen survey's behaviour. The page works without this
// script (a plain form post, checked by the server); with it, questions
// whose relevance condition is false are hidden, required answers are asked
// for before sending, and a kiosk clears itself when left alone. Nothing is
// kept in the browser: no storage, no cookies.

// ---- Relevance conditions: the subset of XLSForm that src/core/relevance.c
// evaluates on the server, with the same rules, so both agree. ----

const DEPTH_MAX = 32;
const SPACE = /^[ \t\r\n\f\v]+|[ \t\r\n\f\v]+$/g;
const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

class ExprError extends Error {}

function trim(s) {
  return s.replace(SPACE, "");
}

function textNum(s) {
  const t = trim(s);
  return NUMBER.test(t) ? Number(t) : NaN;
}

function isIdent(c) {
  return /[A-Za-z0-9_.-]/.test(c);
}

// Evaluates expr; answerOf(code) gives an item's answer as text, or
// undefined for an unknown item. Throws ExprError outside the subset.
export function evaluate(expr, answerOf) {
  let pos = 0;
  let depth = 0;

  const fail = (what) => {
    throw new ExprError(`relevance '${expr}' at column ${pos + 1}: ${what}`);
  };
  const skip = () => {
    while (pos < expr.length && " \t\r\n".includes(expr[pos])) pos++;
  };
  const takeChar = (c) => {
    skip();
    if (expr[pos] === c) {
      pos++;
      return true;
    }
    return false;
  };
  const takeWord = (w) => {
    skip();
    if (!expr.startsWith(w, pos)) return false;
    if (pos + w.length < expr.length && isIdent(expr[pos + w.length])) return false;
    pos += w.length;
    return true;
  };

  const text = (v) => {
    switch (v.k) {
      case "s":
        return v.s;
      case "i":
        return answerOf(v.code);
      case "b":
        return v.b ? "true" : "false";
      default:
        return String(Number(v.n.toPrecision(15)));
    }
  };
  const num = (v) => (v.k === "n" ? v.n : v.k === "b" ? (v.b ? 1 : 0) : textNum(text(v)));
  const bool = (v) =>
    v.k === "b" ? v.b : v.k === "n" ? v.n !== 0 && !Number.isNaN(v.n) : text(v).length > 0;
  const tokens = (v) => text(v).split(" ").filter((t) => t.length > 0);

  const compare = (a, b, op) => {
    if ((op === "=" || op === "!=") && (a.k === "b" || b.k === "b")) {
      const x = bool(a);
      const y = bool(b);
      return op === "=" ? x === y : x !== y;
    }
    if (a.k === "n" || b.k === "n" || a.k === "b" || b.k === "b" || (op !== "=" && op !== "!=")) {
      const x = num(a);
      const y = num(b);
      switch (op) {
        case "=":
          return x === y;
        case "!=":
          return x !== y;
        case "<":
          return x < y;
        case "<=":
          return x <= y;
        case ">":
          return x > y;
        default:
          return x >= y;
      }
    }
    const eq = text(a) === text(b);
    return op === "=" ? eq : !eq;
  };

  let parseOr;

  const call = (name) => {
    if (!takeChar("(")) fail("expected '(' after a function name");
    let out;
    if (name === "true" || name === "false") {
      out = { k: "b", b: name === "true" };
    } else if (name === "not") {
      out = { k: "b", b: !bool(parseOr()) };
    } else if (name === "count-selected") {
      out = { k: "n", n: tokens(parseOr()).length };
    } else if (name === "string-length") {
      out = { k: "n", n: [...trim(text(parseOr()))].length };
    } else if (name === "selected") {
      const a = parseOr();
      if (!takeChar(",")) fail("expected ',' between the arguments of selected()");
      const v = trim(text(parseOr()));
      out = { k: "b", b: tokens(a).includes(v) };
    } else {
      throw new ExprError(`relevance '${expr}': function '${name}' is not supported`);
    }
    if (!takeChar(")")) fail("expected ')'");
    return out;
  };

  const primary = () => {
    skip();
    if (pos >= expr.length) fail("unexpected end; expected a value");
    const c = expr[pos];
    if (c === "(") {
      pos++;
      const v = parseOr();
      if (!takeChar(")")) fail("expected ')'");
      return v;
    }
    if (c === "$") {
      if (expr[pos + 1] !== "{") fail("expected '{' after '$'");
      const end = expr.indexOf("}", pos + 2);
      if (end < 0) fail("'${' without its '}'");
      const code = expr.slice(pos + 2, end);
      if (!code || code.length > 64) fail("expected an item code inside ${...}");
      if (answerOf(code) === undefined) fail(`unknown item '${code}'`);
      pos = end + 1;
      return { k: "i", code };
    }
    if (c === "'" || c === '"') {
      const end = expr.indexOf(c, pos + 1);
      if (end < 0) fail("text without its closing quote");
      const s = expr.slice(pos + 1, end);
      pos = end + 1;
      return { k: "s", s };
    }
    if (/[0-9.-]/.test(c)) {
      const start = pos++;
      while (pos < expr.length && /[0-9.]/.test(expr[pos])) pos++;
      const t = expr.slice(start, pos);
      if (!NUMBER.test(t)) {
        pos = start;
        fail("malformed number");
      }
      return { k: "n", n: Number(t) };
    }
    if (isIdent(c)) {
      const start = pos;
      while (pos < expr.length && isIdent(expr[pos])) pos++;
      const name = expr.slice(start, pos);
      skip();
      if (name.length < 32 && expr[pos] === "(") return call(name);
      pos = start;
      fail("unknown word; expected ${item}, a quoted text, a number or a function call");
    }
    return fail("unexpected character; expected a value");
  };

  const takeOp = () => {
    skip();
    for (const op of ["!=", "<=", ">=", "=", "<", ">"]) {
      if (expr.startsWith(op, pos)) {
        pos += op.length;
        return op;
      }
    }
    return null;
  };

  const parseCmp = () => {
    const a = primary();
    const op = takeOp();
    if (!op) return a;
    return { k: "b", b: compare(a, primary(), op) };
  };

  const parseAnd = () => {
    let v = parseCmp();
    while (takeWord("and")) {
      const b = parseCmp();
      v = { k: "b", b: bool(v) && bool(b) };
    }
    return v;
  };

  parseOr = () => {
    if (++depth > DEPTH_MAX) fail("nested too deeply");
    let v = parseAnd();
    while (takeWord("or")) {
      const b = parseAnd();
      v = { k: "b", b: bool(v) || bool(b) };
    }
    depth--;
    return v;
  };

  if (expr.length > 1024) throw new ExprError("relevance longer than 1024 bytes");
  const v = parseOr();
  skip();
  if (pos < expr.length) fail("unexpected text after the condition");
  return bool(v);
}

// ---- The form ----

function inputsOf(q) {
  return Array.from(q.querySelectorAll("input, textarea"));
}

// An item's answer as text, as the server reads it (relevance.h).
function answerText(q) {
  const type = q.dataset.type;
  const inputs = inputsOf(q);
  if (type === "multi") {
    return inputs
      .filter((i) => i.checked)
      .map((i) => i.value)
      .join(" ");
  }
  if (type === "likert5" || type === "yesno" || type === "single") {
    const on = inputs.find((i) => i.checked);
    return on ? on.value : "";
  }
  const value = inputs.length ? inputs[0].value : "";
  if (type === "number") {
    const n = textNum(value.replace(",", "."));
    return Number.isNaN(n) ? trim(value) : String(Number(n.toPrecision(15)));
  }
  if (type === "text") return value.normalize("NFC");
  return "";
}

function answered(q) {
  return trim(answerText(q)).length > 0;
}

function setProblem(q, message) {
  const err = q.querySelector(".err");
  q.classList.toggle("invalid", Boolean(message));
  if (err) {
    err.textContent = message || "";
    err.hidden = !message;
  }
  for (const i of inputsOf(q)) {
    if (message) i.setAttribute("aria-invalid", "true");
    else i.removeAttribute("aria-invalid");
  }
}

function setup(form) {
  const items = Array.from(form.querySelectorAll("[data-item]"));
  const byCode = new Map(items.map((q) => [q.dataset.item, q]));
  const summary = document.getElementById("summary");
  const button = form.querySelector("button[type=submit]");
  const buttonText = button ? button.textContent : "";

  // The script checks answers itself, with the page's own messages.
  form.noValidate = true;

  // Evaluates every condition in question order; a hidden question counts
  // as unanswered for the ones after it, as on the server.
  const applyRelevance = () => {
    const hidden = new Set();
    const answerOf = (code) => {
      const q = byCode.get(code);
      if (!q) return undefined;
      return hidden.has(code) ? "" : answerText(q);
    };
    for (const q of items) {
      const expr = q.dataset.relevant;
      if (!expr) continue;
      let show = true;
      try {
        show = evaluate(expr, answerOf);
      } catch (e) {
        if (!(e instanceof ExprError)) throw e;
        show = true; // a condition that cannot be read hides nothing
      }
      q.hidden = !show;
      // Hidden questions send nothing; their answers come back if shown again.
      for (const i of inputsOf(q)) i.disabled = !show;
      if (!show) {
        hidden.add(q.dataset.item);
        setProblem(q, "");
      }
    }
  };

  const check = () => {
    const missing = [];
    let number = 0;
    for (const q of items) {
      if (q.dataset.type === "note") continue;
      number++;
      if (q.hidden) continue;
      const problem = "required" in q.dataset && !answered(q);
      if (problem) {
        setProblem(q, form.dataset.msgRequired);
        missing.push([q, number]);
      } else if (q.classList.contains("invalid") && answered(q)) {
        setProblem(q, "");
      }
    }
    return missing;
  };

  const showSummary = (missing) => {
    if (!summary) return;
    summary.replaceChildren();
    if (!missing.length) {
      summary.hidden = true;
      return;
    }
    const p = document.createElement("p");
    p.textContent = form.dataset.msgSummary;
    const ul = document.createElement("ul");
    for (const [q, number] of missing) {
      const li = document.createElement("li");
      const a = document.createElement("a");
      a.href = `#${q.id}`;
      a.textContent = `${form.dataset.msgQuestion} ${number}: ${form.dataset.msgRequired}`;
      li.append(a);
      ul.append(li);
    }
    summary.append(p, ul);
    summary.hidden = false;
    summary.focus();
  };

  form.addEventListener("change", applyRelevance);
  form.addEventListener("input", applyRelevance);
  form.addEventListener("change", (ev) => {
    const q = ev.target.closest("[data-item]");
    if (q && q.classList.contains("invalid") && answered(q)) setProblem(q, "");
  });
  form.addEventListener("submit", (ev) => {
    applyRelevance();
    const missing = check();
    if (missing.length) {
      ev.preventDefault();
      showSummary(missing);
      return;
    }
    if (button) {
      // One press, one submission.
      button.disabled = true;
      button.textContent = form.dataset.msgSending;
    }
  });
  // Back from the next page: the button must work again.
  window.addEventListener("pageshow", () => {
    if (button) {
      button.disabled = false;
      button.textContent = buttonText;
    }
  });

  applyRelevance();
  // A submission the server refused: start at the list of problems.
  if (summary && !summary.hidden) summary.focus();

  return {
    // Whether anything has been answered.
    touched: () => items.some((q) => answered(q)),
    // Empties every answer (also those the page was sent with).
    clear: () => {
      for (const q of items) {
        for (const i of inputsOf(q)) {
          if (i.type === "radio" || i.type === "checkbox") i.checked = false;
          else i.value = "";
        }
        setProblem(q, "");
      }
      if (summary) {
        summary.replaceChildren();
        summary.hidden = true;
      }
      applyRelevance();
      window.scrollTo(0, 0);
    },
  };
}

// ---- Kiosk: a tablet at the counter ----

function kiosk(body, survey) {
  const home = body.dataset.home;
  const idle = Number(body.dataset.idle) || 90;
  if (!home) return;
  let timer = 0;
  // On the form, the answers are emptied in place (the screen stays full
  // screen); elsewhere (the thanks page) the kiosk goes back to the form.
  const reset = () => {
    if (survey) {
      if (survey.touched()) survey.clear();
      arm();
    } else {
      window.location.replace(home);
    }
  };
  function arm() {
    window.clearTimeout(timer);
    timer = window.setTimeout(reset, idle * 1000);
  }
  // What a person does; a scroll made by the page itself is not use.
  for (const ev of ["pointerdown", "keydown", "input", "wheel", "touchstart", "touchmove"]) {
    window.addEventListener(ev, arm, { passive: true });
  }
  arm();
  // Full screen needs a tap; the first one asks for it.
  window.addEventListener(
    "pointerdown",
    () => {
      const el = document.documentElement;
      if (!document.fullscreenElement && el.requestFullscreen) {
        el.requestFullscreen().catch(() => {});
      }
    },
    { once: true },
  );
  // A page restored from the back-forward cache may show someone's answers.
  window.addEventListener("pageshow", (ev) => {
    if (ev.persisted && survey) survey.clear();
  });
}

function start() {
  const form = document.getElementById("survey");
  const survey = form ? setup(form) : null;
  if (document.body.classList.contains("kiosk")) kiosk(document.body, survey);
}

if (document.readyState === "loading") {
  document.addEventListener("DOMContentLoaded", start);
} else {
  start();
}
