/**
 * The PAST wire protocol: one small immutable record per message type, with plain fields only (ids, node handles,
 * byte arrays, numbers, strings and lists of those), registered under stable names by
 * {@link org.epost.overlay.past.protocol.PastMessageTypes}. Requests carry an id chosen by the sender; the answer
 * echoes it ({@link org.epost.overlay.past.protocol.messages.PastReply}), so a late or duplicate answer finds no
 * waiting request and is ignored. Direct requests name their sender, since a direct delivery does not.
 * Block kinds travel as {@link org.epost.overlay.past.block.BlockKind#code()}; blocks as their canonical bytes,
 * which every receiver verifies before it uses them.
 */
package org.epost.overlay.past.protocol.messages;
