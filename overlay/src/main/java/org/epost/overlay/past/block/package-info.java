/**
 * PAST's three self-verifying block kinds (DESIGN.md section 4) and their verification.
 *
 * <p>Encoding: every block is a record of the project's canonical CBOR codec
 * ({@link org.epost.overlay.wire.CborRecordWriter}): a definite-length array whose first element is its format
 * version, then the kind's code, then the kind's fields in a fixed layout (documented on each class):
 * <pre>
 *   content-hash  [1, 1, content: bstr]
 *   public-key    [1, 2, publicKey: bstr(44, X.509 Ed25519), label: tstr, version: uint, payload: bstr,
 *                  signature: bstr(64)]
 *   certificate   [1, 3, name: tstr, publicKeys: [bstr, ...], notAfter: uint, caSignature: bstr(64)]
 * </pre>
 * Each kind has a format version of its own ({@link org.epost.overlay.past.block.BlockKind#formatVersion()}, why is
 * explained there); a block whose version is not its kind's is malformed. The signed kinds sign a record that starts
 * with the same format version, so the version cannot be changed without breaking the signature; a content-hash
 * block's version is not under its hash, for the reason given on
 * {@link org.epost.overlay.past.block.ContentHashBlock}.
 *
 * <p>Only the canonical encoding is accepted, checked by re-encoding the decoded fields, so a verified block has
 * exactly one byte representation and every signature covers the stored bytes.
 *
 * <p>Blocks are named by {@link org.epost.overlay.past.block.BlockKey} (handle and kind), because a content-hash
 * block can be made to hash to any other kind's handle.
 */
package org.epost.overlay.past.block;
