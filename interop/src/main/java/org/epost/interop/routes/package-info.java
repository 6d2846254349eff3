/**
 * Split delivery while an organization moves into ePOST: which users of a domain ePOST serves are still on the legacy
 * mail server (a domain default plus per-user routes), kept in one small file on the peer.
 */
package org.epost.interop.routes;
