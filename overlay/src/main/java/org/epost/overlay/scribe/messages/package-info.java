/**
 * The Scribe wire protocol: one small immutable record per message type with plain fields (ids, handles, lists of
 * ids, numbers, and an application payload), registered by {@link org.epost.overlay.scribe.ScribeMessageTypes}.
 * Messages sent straight to one node name their sender ({@code from}), because a direct delivery does not tell the
 * application who sent it. Lists are copied on construction, so a message never changes after it is sent.
 */
package org.epost.overlay.scribe.messages;
