/** Glacier composed onto a real overlay node: its disk store, PAST's archive hook, its metrics. */
package org.epost.durability.node;
