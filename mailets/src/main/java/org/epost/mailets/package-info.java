/**
 * The James-facing side of mail delivery through ePOST, loaded by James from its configuration: in smtpserver.xml
 * {@link org.epost.mailets.EpostRcptHook} (RCPT TO for ePOST users homed on any peer) and
 * {@link org.epost.mailets.EpostMessageHook} (durable accept after DATA); in mailetcontainer.xml's transport
 * processor {@link org.epost.mailets.RecipientIsEpost} with {@link org.epost.mailets.EpostDelivery} (mail that reaches
 * the spool). All of them delegate to the peer's {@link org.epost.post.delivery.PostSender}, reached through the
 * {@link org.epost.post.delivery.PostGateway} that the peer binds in Guice.
 */
package org.epost.mailets;
