/** ePOST's counters, distributions and timers reported into James's Dropwizard registry. */
package org.epost.peer.metrics;
