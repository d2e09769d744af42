// Shared by every page: sign-in (OpenID Connect, authorization code + PKCE), API calls, safe DOM.
// Tokens live in sessionStorage (this tab only); never in a URL, never in localStorage.

const TOKEN_KEY = "zelfregistratie.token";
const LOGIN_KEY = "zelfregistratie.login";

let configPromise;
function config() {
  configPromise ??= fetch("/config.json").then((r) => r.json());
  return configPromise;
}

async function discovery() {
  const { issuer } = await config();
  const response = await fetch(`${issuer}/.well-known/openid-configuration`);
  return response.json();
}

function base64url(bytes) {
  return btoa(String.fromCharCode(...new Uint8Array(bytes))).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

function randomString(size = 32) {
  return base64url(crypto.getRandomValues(new Uint8Array(size)));
}

export async function pkceChallenge(verifier) {
  return base64url(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(verifier)));
}

export function claims(token) {
  try {
    const payload = token.split(".")[1].replace(/-/g, "+").replace(/_/g, "/");
    return JSON.parse(new TextDecoder().decode(Uint8Array.from(atob(payload), (c) => c.charCodeAt(0))));
  } catch {
    return null;
  }
}

function currentToken() {
  const token = sessionStorage.getItem(TOKEN_KEY);
  const data = token && claims(token);
  return data && data.exp * 1000 > Date.now() + 30_000 ? token : null;
}

/** The access token; without one, sign in and come back to this very address. */
export async function signIn() {
  const token = currentToken();
  if (token) return token;
  const { clientId, publicBaseUrl } = await config();
  const here = location.pathname + location.search + location.hash;
  if (publicBaseUrl && location.origin !== publicBaseUrl) {
    // Reached through another host name (the distribution's own): sign in on the public one, the
    // only redirect address the provider knows.
    location.replace(`${publicBaseUrl}${here}`);
    return new Promise(() => {});
  }
  const endpoints = await discovery();
  const verifier = randomString(48);
  const state = randomString(16);
  // Where in the tab's history the sign-in started: the callback goes back there, so that neither
  // this redirect, nor the provider's pages, nor the callback stay in the history.
  // What the callback needs to trade the code travels along, so that it reads no settings again.
  const redirectUri = `${publicBaseUrl ?? location.origin}/auth/callback`;
  const login = { verifier, state, returnTo: here, depth: history.length, clientId, redirectUri, tokenEndpoint: endpoints.token_endpoint };
  sessionStorage.setItem(LOGIN_KEY, JSON.stringify(login));
  const query = new URLSearchParams({
    response_type: "code",
    client_id: clientId,
    redirect_uri: redirectUri,
    scope: "openid profile",
    state,
    code_challenge: await pkceChallenge(verifier),
    code_challenge_method: "S256",
  });
  location.assign(`${endpoints.authorization_endpoint}?${query}`);
  return new Promise(() => {}); // the page is leaving
}

/** On /auth/callback: trade the code for a token, then return to where the person was. */
export async function completeSignIn() {
  const params = new URLSearchParams(location.search);
  const pending = JSON.parse(sessionStorage.getItem(LOGIN_KEY) || "null");
  sessionStorage.removeItem(LOGIN_KEY);
  if (!pending || params.get("state") !== pending.state || !params.get("code")) {
    throw new Error("Het aanmelden is niet gelukt. Probeer het opnieuw.");
  }
  const response = await fetch(pending.tokenEndpoint, {
    method: "POST",
    headers: { "Content-Type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({
      grant_type: "authorization_code",
      code: params.get("code"),
      redirect_uri: pending.redirectUri,
      client_id: pending.clientId,
      code_verifier: pending.verifier,
    }),
  });
  if (!response.ok) throw new Error("Het aanmelden is niet gelukt. Probeer het opnieuw.");
  sessionStorage.setItem(TOKEN_KEY, (await response.json()).access_token);
  const target = pending.returnTo.startsWith("/") && !pending.returnTo.startsWith("//") ? pending.returnTo : "/";
  const steps = history.length - (pending.depth || history.length);
  if (steps > 0) history.go(-steps); // back to the page that started it, which now finds the token
  else location.replace(target);
}

/** Afmelden: forget the tab's token, and end the provider's session when it offers that. */
export async function signOut() {
  sessionStorage.removeItem(TOKEN_KEY);
  mePromise = null;
  const [{ clientId, publicBaseUrl }, endpoints] = await Promise.all([config(), discovery()]);
  const home = `${publicBaseUrl ?? location.origin}/`;
  if (!endpoints.end_session_endpoint) return location.assign(home);
  const query = new URLSearchParams({ client_id: clientId, post_logout_redirect_uri: home });
  location.assign(`${endpoints.end_session_endpoint}?${query}`);
}

// A page restored from the back/forward cache may be one that left to sign in: load it afresh.
addEventListener("pageshow", (event) => {
  if (event.persisted) location.reload();
});

let mePromise = null;
/** The signed-in person (`/api/me`), read once per page whoever asks; `fresh` after a change. */
export function me({ fresh = false } = {}) {
  if (fresh) mePromise = null;
  mePromise ??= api("/api/me");
  return mePromise;
}

export class ApiError extends Error {
  constructor(status, problem) {
    super(problem?.detail || problem?.title || `Fout ${status}`);
    this.status = status;
    this.problem = problem || {};
  }
  get code() {
    return this.problem.code;
  }
}

/** Call the API as the signed-in person; problem+json becomes an ApiError. */
export async function api(path, { method = "GET", body, headers = {} } = {}) {
  const token = await signIn();
  const response = await fetch(path, {
    method,
    headers: {
      Authorization: `Bearer ${token}`,
      ...(body === undefined ? {} : { "Content-Type": "application/json" }),
      ...headers,
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (response.status === 401) {
    sessionStorage.removeItem(TOKEN_KEY);
    await signIn();
  }
  const type = response.headers.get("content-type") || "";
  const data = type.includes("json") ? await response.json() : null;
  if (!response.ok) throw new ApiError(response.status, data);
  return data;
}

/** A refusal from the API said in a page's live region: its title, detail and field messages. */
export function announceProblem(container, error, fallbackTitle) {
  return announce(container, "error", error.problem.title || fallbackTitle, error.problem.detail || "",
    ...(error.problem.errors || []).map((e) => e.message));
}

/** Under a page of a list: back, on, and its download when the list has something. */
export function pageButtons(index, nextCursor, show, download, shown) {
  return h("div", { class: "buttons" },
    index > 0 ? h("button", { type: "button", class: "secondary", onclick: () => show(index - 1) }, "Vorige pagina") : "",
    nextCursor ? h("button", { type: "button", class: "secondary", onclick: () => show(index + 1) }, "Volgende pagina") : "",
    shown ? h("button", { type: "button", class: "secondary", onclick: download }, "Download als CSV") : "");
}

/** Save what an API route answers as a file (its Content-Disposition names it); false when it failed. */
export async function download(path, fallbackName) {
  const token = await signIn();
  const response = await fetch(path, { headers: { Authorization: `Bearer ${token}` } });
  if (!response.ok) return false;
  const name = /filename="([^"]+)"/.exec(response.headers.get("content-disposition") || "")?.[1] || fallbackName;
  const link = h("a", { href: URL.createObjectURL(await response.blob()), download: name });
  document.body.append(link);
  link.click();
  link.remove();
  return true;
}

/** Build DOM from data: text is always text (no innerHTML), so user input cannot become markup. */
export function h(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === false || value === null || value === undefined) continue;
    if (name.startsWith("on")) element.addEventListener(name.slice(2), value);
    else if (value === true) element.setAttribute(name, "");
    else element.setAttribute(name, value);
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false || child === "") continue;
    element.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return element;
}

/** An organisation's code as people read it: a KBO number as 0428.364.866; OVO codes as they are. */
export function orgCode(code) {
  return /^\d{10}$/.test(code ?? "") ? `${code.slice(0, 4)}.${code.slice(4, 7)}.${code.slice(7)}` : code;
}

/** dd/mm/jjjj, as people here write dates. */
export function datum(value) {
  if (!value) return "";
  const date = value.length === 10 ? new Date(`${value}T12:00:00`) : new Date(value);
  return date.toLocaleDateString("nl-BE", { day: "2-digit", month: "2-digit", year: "numeric", timeZone: "Europe/Brussels" });
}

export const STATUS = {
  pending: "In behandeling",
  approved: "Goedgekeurd",
  rejected: "Afgekeurd",
  cancelled: "Ingetrokken",
  expired: "Vervallen",
};

export const GRANT_STATUS = { active: "Actief", expiring: "Verloopt binnenkort", expired: "Verlopen", revoked: "Herroepen" };

// Who sees which link: everyone, administrators, and legal representatives (who may become one).
const NAVIGATION = [
  ["/user/aanvragen", "Mijn aanvragen", "everyone"],
  ["/user/profiel", "Mijn profiel", "everyone"],
  ["/beheer", "Beheer", "admin"],
  ["/beheer/taken", "Mijn taken", "admin"],
  ["/beheer/personen", "Personen", "admin"],
  ["/beheer/organisatie", "Beheerders", "representative"],
];

function navigation(roles) {
  const links = NAVIGATION.filter(([, , who]) => roles.has(who));
  document.querySelector("nav.site")?.replaceChildren(
    ...links.map(([href, label]) => h("a", { href, "aria-current": location.pathname === href ? "page" : null }, label)));
}

/** The same frame on every page: skip link, header, navigation. Each page's HTML holds only <main>. */
function frame() {
  const main = document.querySelector("main");
  if (!main || document.querySelector("header.site")) return;
  main.before(
    h("a", { class: "skip", href: "#inhoud" }, "Naar de inhoud"),
    h("header", { class: "site" }),
    h("nav", { class: "site", "aria-label": "Hoofdmenu" }),
  );
  main.after(h("footer", { class: "site" },
    h("a", { href: "/privacy" }, "Privacy"),
    h("a", { href: "/cookies" }, "Cookies"),
    h("a", { href: "/toegankelijkheid" }, "Toegankelijkheidsverklaring"),
    h("span", {}, "Vragen? Bel gratis 1700.")));
  navigation(new Set(["everyone"]));
  header(document.title.split(" — ")[0]);
}

/** The page header with who is signed in. */
export async function header(title) {
  const token = currentToken();
  const who = token ? claims(token) : null;
  const name = who ? `${who.given_name || ""} ${who.family_name || ""}`.trim() : "";
  // replaceChildren writes a null as the text "null": only the parts that are there.
  const parts = [
    h("div", { class: "brand" }, h("span", { class: "flag", "aria-hidden": "true" }), "Vlaanderen"),
    h("span", { class: "app" }, "Gebruikersbeheer · Zelfregistratie"),
    name ? h("span", { class: "who" }, `Aangemeld als ${name}`) : null,
    name
      ? h("button", { type: "button", class: "secondary signout", onclick: () => signOut() }, "Afmelden")
      : h("button", { type: "button", class: "secondary signin", onclick: () => signIn() }, "Aanmelden"),
  ];
  document.querySelector("header.site")?.replaceChildren(...parts.filter((part) => part !== null));
  document.title = title === "Zelfregistratie" ? title : `${title} — Zelfregistratie`;
  if (token) {
    const roles = new Set(["everyone"]);
    if (who?.wv_orgcode) roles.add("representative");
    try {
      if ((await me()).administers.length) roles.add("admin").add("representative");
    } catch {
      // the page itself reports what went wrong
    }
    navigation(roles);
  }
}

/** Show a message in the page's live region, and move focus there so it is read out. */
export function announce(container, kind, title, ...body) {
  const box = h(
    "div",
    { class: `notice ${kind}`, role: kind === "error" ? "alert" : "status", tabindex: "-1" },
    h("h2", {}, title),
    ...body.map((part) => (part instanceof Node ? part : h("p", {}, part))),
  );
  container.replaceChildren(box);
  box.focus();
  return box;
}

frame();
