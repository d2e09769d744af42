// /hulp/lokale-beheerder: how an organisation gets a local administrator (the seed's step plans).
import { h, header } from "/assets/app.js";

header("Een lokale beheerder aanstellen");
document.querySelector("main").replaceChildren(
  h("h1", {}, "Een lokale beheerder aanstellen"),
  h("p", {}, "Zelfregistratie werkt alleen als uw organisatie een lokale beheerder met een e-mailadres heeft. Die krijgt de aanvragen en keurt ze goed of af."),
  h("section", { class: "panel", "aria-labelledby": "ea" },
    h("h2", { id: "ea" }, "Voor ondernemingen en andere niet-overheidsorganisaties"),
    h("ol", {},
      h("li", {}, "De wettelijk vertegenwoordiger van de organisatie (terug te vinden in de KBO) registreert een hoofdtoegangsbeheerder via het Beheer der Toegangsbeheerders (BTB)."),
      h("li", {}, "Die meldt zich aan en opent ", h("a", { href: "/beheer/organisatie" }, "Beheerders van mijn organisaties"), "."),
      h("li", {}, "Daar kiest hij of zij \"Word hoofd lokale beheerder\" en vult een e-mailadres en telefoonnummer in."),
      h("li", {}, "Vanaf dan kan de organisatie aanvragen ontvangen. De hoofd lokale beheerder kan er andere lokale beheerders bij aanstellen.")),
    h("p", {}, "Verandert de hoofdtoegangsbeheerder? Dan stelt de nieuwe zichzelf aan zoals hierboven en verwijdert daarna de vorige.")),
  h("section", { class: "panel", "aria-labelledby": "gov" },
    h("h2", { id: "gov" }, "Voor overheidsorganisaties"),
    h("p", {}, "Entiteiten van de Vlaamse overheid, lokale en provinciale besturen en onderwijs- of vormingsinstellingen duiden hun lokale beheerder aan met een formulier. Onderwijsinstellingen contacteren de Edison helpdesk (helpdesk.edison@ond.vlaanderen.be, 02/553.90.90)."),
    h("p", {}, "De lokale beheerder krijgt een mail zodra de aanstelling verwerkt is.")),
  h("p", {}, "Vragen? Bel gratis 1700."),
);
