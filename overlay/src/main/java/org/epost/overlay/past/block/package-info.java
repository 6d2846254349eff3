/**
 * PAST's three self-verifying block kinds (DESIGN.md section 4) and their verification.
 *
 * <p>Encoding: every block is one definite-length CBOR array whose first element is the kind's code, written and
 * read with Jackson's CBOR streaming API in a fixed layout (documented on each class):
 * <pre>
 *   content-hash  [1, content: bstr]
 *   public-key    [2, publicKey: bstr(44, X.509 Ed25519), label: tstr, version: uint, payload: bstr, signature: bstr(64)]
 *   certificate   [3, name: tstr, publicKeys: [bstr, ...], notAfter: uint, caSignature: bstr(64)]
 * </pre>
 * Only the canonical encoding (what {@code CanonicalCborWriter} produces) is accepted, checked by re-encoding the decoded
 * fields, so a verified block has exactly one byte representation and every signature covers the stored bytes.
 *
 * <p>Blocks are named by {@link org.epost.overlay.past.block.BlockKey} (handle and kind), because a content-hash
 * block can be made to hash to any other kind's handle.
 */
package org.epost.overlay.past.block;
