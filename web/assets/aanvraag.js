// /user/aanvraag?… and /user/aanvraag_werkrelatie?…: the deep link becomes a form (the seed's step 3),
// then a summary with "Bevestigen", then a confirmation.
import { announce, api, ApiError, datum, h, header, orgCode, signIn } from "/assets/app.js";

const KBO_SEARCH = "https://kbopub.economie.fgov.be/kbopub/zoeknummerform.html";
const workRelation = location.pathname.startsWith("/user/aanvraag_werkrelatie");
const kind = workRelation ? "werkrelatie" : "gebruikersrecht";
const main = document.querySelector("main");
const messages = h("div", { "aria-live": "polite" });
const LABELS = {
  organization: "Organisatie", right: "Gebruikersrecht", context: "Context", phone: "Telefoonnummer",
  email: "E-mailadres", reason: "Reden van de aanvraag", application: "Toepassing", body: "Aanvraag",
};
let form;
let values = {};

function stepPlan() {
  return [
    h("h3", {}, "Voor niet-overheidsorganisaties"),
    h(
      "ol",
      {},
      h("li", {}, "Registreer een hoofdtoegangsbeheerder via het Beheer der Toegangsbeheerders (BTB). Dat doet de wettelijk vertegenwoordiger van de organisatie."),
      h("li", {}, "De hoofdtoegangsbeheerder meldt zich aan op het gebruikersbeheer."),
      h("li", {}, "Hij of zij kent zichzelf het recht 'Hoofd lokale beheerder' toe en vult een e-mailadres in."),
    ),
    h("h3", {}, "Voor overheidsorganisaties"),
    h("p", {}, "Entiteiten van de Vlaamse overheid, lokale en provinciale besturen en onderwijsinstellingen duiden hun lokale beheerder aan met een formulier. Onderwijsinstellingen contacteren de Edison helpdesk."),
    h("p", {}, h("a", { href: "/hulp/lokale-beheerder" }, "Lees het stappenplan om een lokale beheerder aan te stellen"),
      ". Bent u de wettelijk vertegenwoordiger? ", h("a", { href: "/beheer/organisatie" }, "Word hoofd lokale beheerder"), "."),
    h("p", {}, "Vragen? Bel gratis 1700."),
  ];
}

async function noLocalAdmin(organization) {
  const name = organization.name ? `${organization.name} (${orgCode(organization.code)})` : orgCode(organization.code);
  const admins = organization.name ? await localAdmins(organization.code) : [];
  const names = admins.map((a) => a.name);
  // an address that fails (docs/unreachable-administrators.md) says only that: which one and why stays with the organisation
  const failing = admins.some((a) => a.hasEmail) && !admins.some((a) => a.reachable);
  announce(
    messages,
    "warning",
    failing ? "Deze organisatie kan nu geen aanvragen ontvangen" : "Deze organisatie kan nog geen aanvragen ontvangen",
    failing
      ? `Mails aan de lokale beheerder van ${name} komen niet aan: het e-mailadres werkt niet. Zolang dat zo is, kunt u hier geen aanvraag indienen.`
      : `Voor ${name} is geen lokale beheerder met een e-mailadres gekend. Zolang dat zo is, kunt u hier geen aanvraag indienen.`,
    names.length
      ? failing
        ? `Lokale beheerder: ${names.join(", ")}. Vraag hem of haar een werkend e-mailadres op te geven.`
        : `Lokale beheerder zonder e-mailadres: ${names.join(", ")}. Vraag hem of haar een e-mailadres op te geven.`
      : "",
    "Vraag binnen uw organisatie wie een lokale beheerder kan aanstellen. Zo stelt een organisatie er een aan:",
    ...stepPlan(),
  );
}

function field(id, labelText, control, { hint, required = false } = {}) {
  const hintId = hint ? `${id}-hint` : null;
  if (hintId) control.setAttribute("aria-describedby", hintId);
  return h(
    "div",
    { class: "field", "data-field": id },
    h("label", { for: id, class: required ? "required" : null }, labelText),
    hint ? h("p", { class: "hint", id: hintId }, hint) : null,
    control,
  );
}

function locked(labelText, text) {
  return h("div", { class: "field" }, h("span", { class: "label" }, labelText), h("div", { class: "locked" }, text));
}

function contextField(formData, right) {
  if (!right || right.contexts.length === 0) return null;
  if (formData.context) return locked("Context", formData.context);
  return field(
    "context",
    "Context",
    h("select", { id: "context", name: "context", required: true },
      h("option", { value: "" }, "Selecteer een context"),
      ...right.contexts.map((c) => h("option", { value: c }, c))),
    { required: true },
  );
}

function renderForm(formData) {
  const org = formData.organization;
  const rights = formData.rights;
  const fixed = formData.rightFixed ? rights[0] : null;
  const contextHolder = h("div", {}, contextField(formData, fixed));
  const rightControl = fixed
    ? locked("U wenst het gebruikersrecht:", fixed.name)
    : field(
        "right",
        "U wenst het gebruikersrecht:",
        h("select", {
          id: "right", name: "right", required: true,
          onchange: (event) => contextHolder.replaceChildren(contextField(formData, rights.find((r) => r.code === event.target.value)) || ""),
        }, h("option", { value: "" }, "Selecteer een gebruikersrecht"), ...rights.map((r) => h("option", { value: r.code }, r.name))),
        { required: true },
      );
  form = h(
    "form",
    { novalidate: true, class: "panel", onsubmit: (event) => { event.preventDefault(); review(formData); } },
    h("h2", { class: "skip" }, workRelation ? "Werkrelatie aanvragen" : "Gebruikersrecht aanvragen"),
    org
      ? locked("Voor welke onderneming of organisatie?", org.name ? `${orgCode(org.code)} (${org.name})` : orgCode(org.code))
      : h("div", { class: "field", "data-field": "organization" },
          h("label", { for: "organization", class: "required" }, `Voor welke onderneming of organisatie wilt u een ${kind} aanvragen?`),
          h("p", { class: "hint", id: "organization-hint" },
            formData.targetGroup.code === "GID" ? "Geef de OVO-code, bv. OVO000123. " : "Geef het ondernemingsnummer (KBO), bv. 0428.364.866. ",
            h("a", { href: KBO_SEARCH, target: "_blank", rel: "noopener" }, "Kent u het KBO nummer niet? U kunt het hier opzoeken.")),
          h("input", { id: "organization", name: "organization", type: "text", required: true, autocomplete: "off", "aria-describedby": "organization-hint" })),
    formData.application ? locked("Toepassing:", formData.application.name) : null,
    workRelation ? null : rightControl,
    contextHolder,
    field("phone", "Uw telefoonnummer (bv. +3212345678):", h("input", { id: "phone", name: "phone", type: "tel", required: true, autocomplete: "tel", inputmode: "tel" }), { required: true }),
    field("email", "Uw e-mailadres:", h("input", { id: "email", name: "email", type: "email", required: true, autocomplete: "email" }), { required: true }),
    field("reason", "Reden van de aanvraag:", h("textarea", { id: "reason", name: "reason", maxlength: "1000" }), { hint: "Niet verplicht. Hoogstens 1000 tekens." }),
    h("div", { class: "buttons" }, h("button", { type: "submit" }, "Verder")),
  );
  // a renewal is said to be one, and starts from how the work relationship reaches the person
  const prefill = { ...(formData.contact?.phone ? { phone: formData.contact.phone } : {}),
    ...(formData.contact?.email ? { email: formData.contact.email } : {}) };
  for (const [name, value] of Object.entries({ ...prefill, ...values })) {
    const control = form.elements.namedItem(name);
    if (control && value) control.value = value;
  }
  const renewal = formData.renewal
    ? h("div", { class: "notice info renewal", role: "status" },
        h("h2", {}, "Verlenging"),
        h("p", {}, `U heeft dit gebruikersrecht al, geldig tot en met ${datum(formData.renewal.end)}. Met deze aanvraag vraagt u het te verlengen; `,
          "keurt een lokale beheerder ze goed, dan blijft het recht hetzelfde en krijgt het een nieuwe einddatum."))
    : null;
  main.replaceChildren(intro(), messages, ...(renewal ? [renewal] : []), form);
}

/** The page's opening: one line, and the rest behind "Meer uitleg", so that on a phone the first field
 * is on the first screen. Without a form (a refusal, a link that does not work) it says no more. */
function intro({ form: withForm = true } = {}) {
  const purpose = workRelation ? "om u als medewerker van uw organisatie te registreren" : "om u het juiste gebruikersrecht te geven voor uw organisatie of onderneming";
  return h(
    "div",
    { class: "intro" },
    h("h1", {}, workRelation ? "Aanvraag werkrelatie" : "Aanvraag gebruikersrecht"),
    withForm ? h("p", {}, `Vul het formulier in en klik op "Verder". U controleert alles nog voor u op "Bevestigen" klikt.`) : null,
    h("details", { class: "more" },
      h("summary", {}, "Meer uitleg"),
      h("p", {}, `U hoeft uw naam niet in te vullen omdat u bent aangemeld met uw eID of een digitale sleutel waardoor we uw naam kennen. De Vlaamse overheid gebruikt deze informatie enkel in de gebruikersbeheertoepassing van de Vlaamse overheid ${purpose}.`),
      h("p", {}, "Nadat u dit formulier heeft afgewerkt, krijgt de verantwoordelijke van uw organisatie (uw \"lokale beheerder\") een mailtje. De lokale beheerder moet uw aanvraag goedkeuren. Na deze goedkeuring ontvangt u een mailtje waardoor u weet dat u aan de slag kan in de toepassing.")),
  );
}

function showFieldErrors(errors) {
  for (const node of form.querySelectorAll(".field-error")) node.remove();
  for (const node of form.querySelectorAll("[aria-invalid]")) node.removeAttribute("aria-invalid");
  const listed = [];
  // the summary lists the fields in the order the page shows them, whatever order they came in
  const fields = [...form.elements].map((element) => element.name);
  const place = (name) => (fields.includes(name) ? fields.indexOf(name) : fields.length);
  const ordered = [...errors].sort((a, b) => place(a.field) - place(b.field));
  for (const { field: name, message } of ordered) {
    const control = form.elements.namedItem(name);
    if (control) {
      const id = `${name}-error`;
      control.setAttribute("aria-invalid", "true");
      control.setAttribute("aria-describedby", [control.getAttribute("aria-describedby"), id].filter(Boolean).join(" "));
      control.closest(".field").append(h("p", { class: "field-error", id }, message));
      listed.push(h("li", {}, h("a", { href: `#${name}` }, `${LABELS[name] ?? name}: ${message}`)));
    } else {
      listed.push(h("li", {}, `${LABELS[name] ?? name}: ${message}`));
    }
  }
  announce(messages, "error", "Niet alle gegevens zijn juist ingevuld.", h("ul", {}, ...listed));
}

function collect(formData) {
  const data = Object.fromEntries(new FormData(form).entries());
  values = { ...values, ...data };
  const errors = [];
  const required = ["phone", "email", ...(formData.organization ? [] : ["organization"]),
    ...(workRelation || formData.rightFixed ? [] : ["right"])];
  if (form.elements.namedItem("context")) required.push("context");
  for (const name of required) {
    if (!(data[name] || "").trim()) errors.push({ field: name, message: "Dit veld is verplicht." });
  }
  return errors;
}

function body(formData) {
  const right = formData.rightFixed ? formData.rights[0] : formData.rights.find((r) => r.code === values.right);
  return {
    type: workRelation ? "work_relation" : "user_right",
    targetGroup: formData.targetGroup.code,
    organization: formData.organization ? formData.organization.code : values.organization.trim(),
    ...(workRelation ? {} : { application: formData.application?.id, right: right?.code }),
    ...(formData.context || values.context ? { context: formData.context || values.context } : {}),
    phone: values.phone.trim(),
    email: values.email.trim(),
    ...(values.reason && values.reason.trim() ? { reason: values.reason } : {}),
  };
}

async function review(formData, { push = true } = {}) {
  const errors = collect(formData);
  if (errors.length) return showFieldErrors(errors);
  const request = body(formData);
  let checked;
  try {
    checked = await api("/api/requests/check", { method: "POST", body: request });
  } catch (error) {
    if (!(error instanceof ApiError)) throw error;
    return refused(formData, request, error);
  }
  request.phone = checked.phone; // as the API will keep it: E.164
  values.phone = checked.phone;
  // a typed number as the API read it ("BE 0428.364.866" is 0428364866), with the organisation's name
  request.organization = checked.organization.code;
  const organizationName = checked.organization.name ?? formData.organization?.name;
  const right = formData.rights.find((r) => r.code === request.right);
  const rows = [
    ["Organisatie", organizationName ? `${orgCode(request.organization)} (${organizationName})` : orgCode(request.organization)],
    ...(formData.application ? [["Toepassing", formData.application.name]] : []),
    ...(right ? [["Gebruikersrecht", right.name]] : []),
    ...(request.context ? [["Context", request.context]] : []),
    ["Telefoonnummer", checked.phone],
    ["E-mailadres", checked.email],
    ["Reden van de aanvraag", request.reason || "—"],
  ];
  const idempotencyKey = crypto.randomUUID();
  const summary = h(
    "section",
    { class: "panel", "aria-labelledby": "summary-title" },
    h("h2", { id: "summary-title", tabindex: "-1" }, "Controleer uw aanvraag"),
    h("dl", { class: "summary" }, ...rows.flatMap(([term, value]) => [h("dt", {}, term), h("dd", {}, value)])),
    h("div", { class: "buttons" },
      h("button", { type: "button", class: "secondary", onclick: () => history.back() }, "Terug"),
      h("button", { type: "button", onclick: (event) => confirm(formData, request, idempotencyKey, event.target) }, "Bevestigen")),
  );
  if (push) history.pushState({ step: "summary", values }, "", location.href);
  main.replaceChildren(intro(), messages, summary);
  messages.replaceChildren();
  summary.querySelector("h2").focus();
}

/** A refusal says what is going on and how to go on: never a dead end. */
function refused(formData, request, error) {
  if (error.code === "invalid_input") {
    renderForm(formData);
    return showFieldErrors(error.problem.errors || []);
  }
  if (error.code === "no_local_admin") {
    main.replaceChildren(intro({ form: false }), messages);
    return noLocalAdmin(formData.organization || { code: request.organization, name: null });
  }
  const links = [h("a", { href: "/user/aanvragen" }, "Naar Mijn aanvragen")];
  if (error.problem.request) {
    links.unshift(h("a", { href: `/user/aanvragen#aanvraag-${error.problem.request.id}` }, "Bekijk die aanvraag"));
  }
  if (error.problem.grant || error.problem.workRelationship) links.unshift(h("a", { href: "/user/profiel" }, "Bekijk Mijn profiel"));
  main.replaceChildren(h("h1", {}, error.problem.title || "Dat lukte niet."), messages);
  announce(messages, error.code === "duplicate_pending" || error.code === "already_granted" ? "warning" : "error",
    error.problem.title || "Er ging iets mis.", error.problem.detail || "",
    h("ul", { class: "links" }, ...links.map((link) => h("li", {}, link))));
}

async function confirm(formData, request, idempotencyKey, button) {
  button.disabled = true;
  try {
    const filed = await api("/api/requests", { method: "POST", body: request, headers: { "Idempotency-Key": idempotencyKey } });
    // The confirmation takes the summary's place in the history, under an address of its own: a reload
    // shows it again, Back goes to the form.
    const address = new URL(location.href);
    address.searchParams.set("bevestigd", filed.id);
    history.replaceState({ step: "done" }, "", address);
    confirmation(filed);
  } catch (error) {
    button.disabled = false;
    if (!(error instanceof ApiError)) throw error;
    refused(formData, request, error);
  }
}

async function confirmation(filed) {
  const what = filed.right ? `het gebruikersrecht "${filed.right.name}"` : "een werkrelatie";
  const names = (await localAdmins(filed.organization.code)).map((a) => a.name);
  main.replaceChildren(h("h1", {}, "Uw aanvraag is verstuurd"), messages);
  announce(
    messages,
    "success",
    "Bedankt, uw aanvraag is goed ontvangen.",
    h("p", {}, "Uw aanvraagnummer is ", h("strong", { class: "number" }, filed.number), ". Noem het als u belt naar 1700."),
    `U vroeg ${what} aan voor ${filed.organization.name} (${orgCode(filed.organization.code)}) op ${datum(filed.createdAt)}.`,
    `We stuurden een bevestiging naar ${filed.email}. De lokale beheerders van uw organisatie${names.length ? ` (${names.join(", ")})` : ""} kregen een mail; een van hen keurt uw aanvraag goed of af. Daarna krijgt u opnieuw een mail.`,
    h("p", {}, h("a", { href: "/user/aanvragen" }, "Bekijk uw aanvragen")),
  );
}

/** The organisation's local administrators by name (never their addresses), heads first. */
async function localAdmins(code) {
  try {
    const organization = await api(`/api/organizations/${encodeURIComponent(code)}`);
    return organization.localAdmins;
  } catch {
    return [];
  }
}

async function start() {
  await signIn();
  await header(workRelation ? "Aanvraag werkrelatie" : "Aanvraag gebruikersrecht");
  const query = new URLSearchParams(location.search);
  const done = query.get("bevestigd");
  if (done) {
    try {
      return confirmation(await api(`/api/requests/${encodeURIComponent(done)}`));
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      query.delete("bevestigd"); // not the caller's, or gone: the form, as the link says
    }
  }
  if (workRelation) query.set("type", "work_relation");
  try {
    const formData = await api(`/api/registration-form?${query}`);
    history.replaceState({ step: "form" }, "", location.href);
    addEventListener("popstate", (event) => {
      if (event.state?.step === "summary") {
        values = event.state.values || values;
        review(formData, { push: false });
      } else if (!new URLSearchParams(location.search).get("bevestigd")) {
        renderForm(formData);
      }
    });
    if (formData.organization && !formData.organization.canReceiveRequests) {
      main.replaceChildren(intro({ form: false }), messages);
      return noLocalAdmin(formData.organization);
    }
    renderForm(formData);
  } catch (error) {
    if (!(error instanceof ApiError)) throw error;
    main.replaceChildren(intro({ form: false }), messages);
    if (error.code === "no_rights_found") {
      announce(messages, "error", "Geen gebruikersrechten gevonden voor de gegeven criteria!",
        "De link die u volgde, verwijst naar een gebruikersrecht dat niet bestaat of niet voor uw soort organisatie beschikbaar is.",
        "Wat nu? Ga terug naar de toepassing die u hierheen stuurde en vraag daar om een juiste link, of bel gratis 1700.");
    } else {
      announce(messages, "error", error.problem.title || "Deze link werkt niet.", error.problem.detail || "",
        "Vraag de toepassing die u hierheen stuurde om een juiste link.");
    }
  }
}

start();
