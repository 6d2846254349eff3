/**
 * The Pastry wire protocol: one small immutable record per message type, with plain fields (ids, handles, lists
 * of handles, numbers) so that a schema-driven codec (Jackson CBOR) can encode them on real links. Lists are copied
 * on construction, so a message never changes after it is sent.
 */
package org.epost.overlay.pastry.messages;
