/** Glacier's benchmark: codec throughput on this CPU and simulated maintenance and repair. */
package org.epost.durability.bench;
