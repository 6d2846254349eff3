/** Glacier's messages, each one small immutable record with plain fields, registered by name in GlacierMessageTypes. */
package org.epost.durability.glacier.messages;
