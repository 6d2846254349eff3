/** Header fields of raw messages, rewritten without touching any other byte. */
package org.epost.interop.header;
