/** Glacier in the overlay's seeded simulator: a whole ring on virtual time, crashes, recovery, figures. */
package org.epost.durability.sim;
