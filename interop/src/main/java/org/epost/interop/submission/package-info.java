/** Mail submission (RFC 6409) by ePOST users: what the submission port requires beyond stock James. */
package org.epost.interop.submission;
