/** What an ePOST peer keeps in James's mail spool: messages sealed under the peer's spool key. */
package org.epost.post.spool;
