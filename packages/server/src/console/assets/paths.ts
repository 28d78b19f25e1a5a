// Where the route code serves the console's two static files. Pages link to exactly these.
export const CONSOLE_CSS_PATH = '/console/assets/console.css';
export const CONSOLE_JS_PATH = '/console/assets/console.js';
