package org.lockstep.manifest.api;

import org.lockstep.manifest.problem.Problems;
import org.lockstep.manifest.auth.AccessDenied;
import org.lockstep.manifest.rollout.CommitNotOnBranch;
import org.lockstep.manifest.rollout.UnknownRepository;
import org.lockstep.manifest.git.RemoteUnreachable;
import org.lockstep.manifest.rollout.machine.RolloutRejected;
import org.lockstep.manifest.store.StoreNotOpen;
import org.lockstep.manifest.store.StoreUnavailable;
import org.lockstep.manifest.web.RequestBodyLimits;
import org.lockstep.protocol.InvalidInputException;
import org.lockstep.protocol.LogText;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import java.net.URI;

import org.springframework.beans.TypeMismatchException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.ErrorResponse;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.HttpRequestMethodNotSupportedException;
import org.springframework.web.bind.MissingServletRequestParameterException;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.servlet.resource.NoResourceFoundException;
import org.springframework.http.ProblemDetail;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

/**
 * Maps every failure to an RFC 9457 problem detail with a stable type, in one place. Spring MVC's own failures
 * (unreadable JSON, wrong method, missing parameter) come through the base class as problem details too.
 */
@RestControllerAdvice
class ApiExceptionHandler extends ResponseEntityExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(ApiExceptionHandler.class);

    /** Gives Spring MVC's own problems (bad JSON, wrong method, ...) a stable type instead of about:blank. */
    @Override
    protected ResponseEntity<Object> handleExceptionInternal(Exception ex, Object body, HttpHeaders headers,
                                                             HttpStatusCode status, WebRequest request) {
        ProblemDetail problem = body instanceof ProblemDetail p ? p
                : body == null && ex instanceof ErrorResponse response ? response.getBody() : null;
        boolean untyped = problem != null
                && (problem.getType() == null || URI.create("about:blank").equals(problem.getType()));
        if (untyped) {
            problem.setType(Problems.type(slugFor(ex, status)));
        }
        return super.handleExceptionInternal(ex, body, headers, status, request);
    }

    @Override
    protected ResponseEntity<Object> handleHttpMessageNotReadable(HttpMessageNotReadableException ex,
                                                                  HttpHeaders headers, HttpStatusCode status,
                                                                  WebRequest request) {
        for (Throwable cause = ex; cause != null; cause = cause.getCause()) {
            if (cause instanceof RequestBodyLimits.BodyTooLarge tooLarge) {
                ProblemDetail problem = Problems.of(HttpStatus.CONTENT_TOO_LARGE, "body-too-large",
                        tooLarge.getMessage());
                return handleExceptionInternal(ex, problem, headers, HttpStatus.CONTENT_TOO_LARGE, request);
            }
            if (cause instanceof RequestBodyLimits.BodyTooSlow tooSlow) {
                ProblemDetail problem = Problems.of(HttpStatus.REQUEST_TIMEOUT, "body-too-slow", tooSlow.getMessage());
                return handleExceptionInternal(ex, problem, headers, HttpStatus.REQUEST_TIMEOUT, request);
            }
        }
        return super.handleHttpMessageNotReadable(ex, headers, status, request);
    }

    private static String slugFor(Exception ex, HttpStatusCode status) {
        if (ex instanceof HttpMessageNotReadableException) {
            return "malformed-body";
        }
        if (ex instanceof HttpRequestMethodNotSupportedException) {
            return "method-not-allowed";
        }
        if (ex instanceof HttpMediaTypeNotSupportedException) {
            return "unsupported-media-type";
        }
        if (ex instanceof NoResourceFoundException) {
            return "not-found";
        }
        if (ex instanceof TypeMismatchException || ex instanceof MissingServletRequestParameterException) {
            return "invalid-input";
        }
        return "http-" + status.value();
    }

    @ExceptionHandler
    ProblemDetail invalid(InvalidInputException ex) {
        ProblemDetail problem = Problems.of(HttpStatus.BAD_REQUEST, "invalid-input", ex.getMessage());
        problem.setProperty("field", ex.field());
        return problem;
    }

    @ExceptionHandler
    ProblemDetail unknownRepository(UnknownRepository ex) {
        return Problems.of(HttpStatus.NOT_FOUND, "unknown-repository", ex.getMessage());
    }

    @ExceptionHandler
    ProblemDetail noSuchRollout(RepoController.NoSuchRollout ex) {
        return Problems.of(HttpStatus.NOT_FOUND, "unknown-rollout", ex.getMessage());
    }

    @ExceptionHandler
    ProblemDetail forbidden(AccessDenied ex) {
        return Problems.of(HttpStatus.FORBIDDEN, "forbidden", ex.getMessage());
    }

    @ExceptionHandler
    ProblemDetail notOnBranch(CommitNotOnBranch ex) {
        return Problems.of(HttpStatus.CONFLICT, "commit-not-on-branch", ex.getMessage());
    }

    @ExceptionHandler
    ProblemDetail rejected(RolloutRejected ex) {
        String slug = switch (ex.kind()) {
            case NOT_FORWARD -> "not-a-descendant";
            case NOTHING_TO_CANCEL -> "nothing-to-cancel";
            case NOTHING_TO_RETRY -> "nothing-to-retry";
        };
        return Problems.of(HttpStatus.CONFLICT, slug, ex.getMessage());
    }

    @ExceptionHandler
    ProblemDetail remote(RemoteUnreachable ex) {
        log.warn("event=git-fetch-failed detail={}", LogText.quoted(ex.getMessage()));
        return Problems.of(HttpStatus.BAD_GATEWAY, "remote-unreachable", ex.getMessage());
    }

    @ExceptionHandler
    ProblemDetail store(StoreUnavailable ex) {
        // An etcd outage or a failed disk write: the message says which; the stack trace adds nothing for operators.
        // A store that is not open yet has logged why, once; a line per request would bury that line.
        if (ex instanceof StoreNotOpen) {
            log.debug("event=store-not-open detail={}", LogText.quoted(ex.getMessage()));
        }
        else {
            log.error("event=store-failed detail={}", LogText.quoted(ex.getMessage()));
        }
        log.debug("event=store-failed stack trace", ex);
        return Problems.of(HttpStatus.SERVICE_UNAVAILABLE, "store-unavailable", ex.getMessage());
    }
}
