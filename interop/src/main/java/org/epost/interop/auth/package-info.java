/**
 * SPF and DKIM verdicts of James's own mailets ({@code SPF}, {@code DKIMVerify}) recorded in an
 * {@code Authentication-Results} header (RFC 8601) for mail accepted over SMTP, ePOST mail included, which never
 * passes James's mailet container.
 */
package org.epost.interop.auth;
