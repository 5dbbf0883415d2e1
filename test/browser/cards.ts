/** Catalogue cards the browser suites report games with: their ids, and the names the pages show. */
export const HAN = "9226435975"; // Han Solo, Worth the Risk
export const QUIGON = "2580909557"; // Quigon Jinn, Student of the Living Force
export const MAUL = "0024560758"; // Darth Maul, Sith Revealed
export const OSCILLATOR = "4301437393"; // Thermal Oscillator
export const TEMPLE = "0450346170"; // Jedi Temple
export const UNDERCITY = "0119018087"; // Shadowed Undercity
export const NEGOTIATIONS = "5876721507"; // Aggressive Negotiations
export const CASSIAN = "6234506067"; // Cassian Andor
