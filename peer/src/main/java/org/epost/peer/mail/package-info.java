/**
 * POST on this peer: {@link org.epost.peer.mail.PostApplication}, the peer application that builds the
 * {@link org.epost.peer.mail.PostServices} (accounts, message store, notifications, the sender, the INBOX appender)
 * on the overlay node, and {@link org.epost.peer.mail.PostReadiness}, the future of those services that the rest of
 * the peer awaits.
 */
package org.epost.peer.mail;
