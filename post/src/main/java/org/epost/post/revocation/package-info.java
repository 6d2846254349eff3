/**
 * The organization's revocation list on POST: kept in PAST as a public-key block of the user CA key
 * ({@link org.epost.post.revocation.RevocationBlocks}), followed by every peer
 * ({@link org.epost.post.revocation.RevocationFollower}) and enforced by the overlay's links and POST's accounts.
 */
package org.epost.post.revocation;
