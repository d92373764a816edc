// @ts-check
// The office app's desks, one module each (js/desks/NAME.js, with its styles in
// css/NAME.css). The shell loads them all and shows a user the desks whose roles include theirs.
export const DESKS = ["licensing", "tips", "team", "people", "ops", "registry"];
