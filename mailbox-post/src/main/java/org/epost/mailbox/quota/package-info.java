/**
 * Quotas on the ePOST backend: usage derived from the folder logs ({@link org.epost.mailbox.quota.PostCurrentQuotaManager})
 * and durable maximum quotas ({@link org.epost.mailbox.quota.PostMaxQuotaManager}): a user's own limits in their
 * account log, the peer's global and per-domain limits in a local file.
 */
package org.epost.mailbox.quota;
