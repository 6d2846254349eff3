/**
 * What this peer is configured as: {@link org.epost.peer.config.EpostConfiguration} read from epost.properties, with
 * its {@code overlay.*}/{@code past.*}, {@code post.*}, delivery and lease settings, and the version of the ePOST jars.
 * Depends on no other package of the peer.
 */
package org.epost.peer.config;
