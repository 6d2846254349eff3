/**
 * The ePOST overlay: 160-bit ids, Pastry routing, PAST block storage and Scribe, written against a
 * {@code Transport} and a clock/scheduler they do not own so that the same state machines run over Netty TCP+TLS
 * and inside a seeded, deterministic simulator. No James types here.
 */
package org.epost.overlay;
