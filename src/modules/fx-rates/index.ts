/** What other families may use of exchange rates. */
export { FxRate, fxRateFamily, fxRateService, latestRate } from './fx-rate.family';
