/** The one-way channel from the protocols to an operator's metrics registry. */
package org.epost.overlay.metrics;
