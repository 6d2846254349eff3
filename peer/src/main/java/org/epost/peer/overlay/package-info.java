/**
 * This peer's overlay node: {@link org.epost.peer.overlay.OverlayService} starts, joins and stops it, and runs on it
 * the {@link org.epost.peer.overlay.PeerApplication}s bound in the peer's Guice module.
 */
package org.epost.peer.overlay;
