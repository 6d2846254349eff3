/** Glacier's code parameters per ring size and the exact loss arithmetic behind them. */
package org.epost.durability.params;
