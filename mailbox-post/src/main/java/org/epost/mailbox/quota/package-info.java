/** Quota usage derived from the folder logs (limits stay James's). */
package org.epost.mailbox.quota;
