/**
 * The overlay as applications (PAST, Scribe, Glacier, POST) see it, in the spirit of FreePastry's common API:
 * {@link org.epost.overlay.api.Endpoint#route}, and the upcalls forward / deliver / update of
 * {@link org.epost.overlay.api.Application}.
 */
package org.epost.overlay.api;
