/** Fragments of an object: manifest, hash-tree proofs, canonical CBOR, coding and placement on the ring. */
package org.epost.durability.fragment;
