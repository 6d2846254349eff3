/** The origin tag: which stored messages a verified ePOST sender signed, and which came from outside. */
package org.epost.interop.origin;
