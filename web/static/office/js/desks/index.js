// @ts-check
// The office app's desks, one module each (js/desks/NAME.js, with its styles in
// css/NAME.css). The shell loads them all and shows a user the desks whose roles include theirs,
// in this order; the first is where they land (planners and admins: the registry).
export const DESKS = ["licensing", "tips", "registry", "areas", "places", "programmes", "plans", "catalogues", "team", "sanctions", "indicators", "people", "ops", "notifications"];
