using Microsoft.AspNetCore.Http;
using Supervision.Domain.Common;
using Supervision.Domain.Staff;
using Supervision.Http;
using Supervision.Kernel;

namespace Supervision.Security;

/// <summary>
/// The one preamble of every staff endpoint about an engagement. It answers, first refusal wins: 401 without a
/// signed-in user; 403 without one of the rule's roles; 400 for a malformed <c>Idempotency-Key</c> (when the rule takes
/// one); 404 "{subject} was not found." for a malformed id; the route's own 404 (e.g. an unknown clause); 415, 413 or 400
/// for the JSON body (when there is one), then 400 for the body's own checks; and 404 for a subject or engagement that
/// does not exist. Otherwise the call is admitted with the caller, the body and what was loaded (with its ETag).
/// </summary>
public sealed class StaffCalls(StaffAccess staff, EngagementStore engagements)
{
    /// <summary>A call without a body; <paramref name="engagementId"/> null for a route that names no engagement.</summary>
    public async Task<StaffCall> AdmitAsync(HttpRequest request, StaffRule rule, string? engagementId, CancellationToken cancellationToken) =>
        await PreambleAsync<NoBody, NoSubject>(request, rule, engagementId, subject: null, unknownRoute: null, cancellationToken);

    /// <summary>A call with a JSON body; <paramref name="unknownRoute"/> is the problem when another route value names nothing.</summary>
    public async Task<StaffCall<T>> AdmitAsync<T>(HttpRequest request, StaffRule<T> rule, string? engagementId, CancellationToken cancellationToken, IResult? unknownRoute = null)
        where T : class =>
        await PreambleAsync<T, NoSubject>(request, rule, engagementId, subject: null, unknownRoute, cancellationToken);

    /// <summary>A call with a JSON body about a row below the engagement (an incident, a tier, a report …).</summary>
    public Task<StaffCall<T, TSubject>> AdmitAsync<T, TSubject>(HttpRequest request, StaffRule<T> rule, string engagementId, StaffSubject<TSubject> subject, CancellationToken cancellationToken)
        where T : class
        where TSubject : class =>
        PreambleAsync<T, TSubject>(request, rule, engagementId, subject, unknownRoute: null, cancellationToken);

    private async Task<StaffCall<T, TSubject>> PreambleAsync<T, TSubject>(
        HttpRequest request, StaffRule rule, string? engagementId, StaffSubject<TSubject>? subject, IResult? unknownRoute, CancellationToken cancellationToken)
        where T : class
        where TSubject : class
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(rule);
        StaffAccessResult access = rule.Changes ? staff.ToChange(request, rule.Roles) : staff.ToRead(request, rule.Roles);
        if (access.Denied is not null)
            return Refuse(access.Denied);
        string? idempotencyKey = null;
        if (rule.TakesIdempotencyKey && StaffInput.IdempotencyKey(request, out idempotencyKey) is { } badKey)
            return Refuse(badKey);
        if (engagementId is not null && (!EngagementIds.IsWellFormed(engagementId) || subject is { IsWellFormed: false }))
            return Refuse(Problems.NotFound(rule.Subject));
        if (unknownRoute is not null)
            return Refuse(unknownRoute);

        T? body = null;
        if (rule is StaffRule<T> taking)
        {
            BodyResult<T> read = await JsonBody.ReadAsync<T>(request, cancellationToken, taking.MaxBytes);
            if (read.Problem is not null)
                return Refuse(read.Problem);
            if (taking.Validate?.Invoke(read.Value!, access.User!) is { IsEmpty: false } errors)
                return Refuse(Problems.Invalid(errors.ToDictionary()));
            body = read.Value;
        }

        TSubject? row = null;
        EngagementRecord? engagement = null;
        if (subject is not null && (row = await subject.LoadAsync(cancellationToken)) is null)
            return Refuse(Problems.NotFound(rule.Subject));
        if (engagementId is not null && rule.LoadsEngagement && (engagement = await engagements.GetAsync(engagementId, cancellationToken)) is null)
            return Refuse(Problems.NotFound(rule.Subject));

        return new StaffCall<T, TSubject>
        {
            User = access.User,
            EngagementId = engagementId,
            IdempotencyKey = idempotencyKey,
            Engagement = engagement,
            Body = body,
            Subject = row,
        };

        static StaffCall<T, TSubject> Refuse(IResult problem) => new() { Refused = problem };
    }

    /// <summary>The body type of a call that reads none.</summary>
    private sealed record NoBody;

    /// <summary>The subject type of a call about the engagement itself.</summary>
    private sealed record NoSubject;
}

/// <summary>
/// Who may make a staff call and what it is about, declared once beside its endpoints: read or change, by which roles,
/// whether it takes an <c>Idempotency-Key</c>, what a malformed id or a missing subject is answered as, and whether the
/// engagement is loaded (not where a service the handler calls reads it itself, or the subject is a row below it).
/// </summary>
public record StaffRule
{
    public bool Changes { get; private init; }

    public IReadOnlyCollection<StaffRole> Roles { get; private init; } = [];

    public bool TakesIdempotencyKey { get; init; }

    /// <summary>What the 404 names ("{Subject} was not found."): the engagement, or the row the call is about.</summary>
    public string Subject { get; init; } = "The engagement";

    public bool LoadsEngagement { get; init; } = true;

    /// <summary>Every member of staff who may read (procurement, supervisors, auditors).</summary>
    public static StaffRule AnyReader { get; } = ToRead(StaffRoles.Readers);

    public static StaffRule ToRead(params IReadOnlyCollection<StaffRole> roles) => new() { Roles = roles };

    /// <summary>A change: an auditor is never admitted, whatever <paramref name="roles"/> say.</summary>
    public static StaffRule ToChange(params IReadOnlyCollection<StaffRole> roles) => new() { Roles = roles, Changes = true };

    /// <summary>The same rule for a call with a JSON body of <typeparamref name="T"/> of at most <paramref name="maxBytes"/>.</summary>
    public StaffRule<T> Taking<T>(int maxBytes = JsonBody.DefaultMaxBytes)
        where T : class => new(this, maxBytes, validate: null);

    /// <summary>The same rule for a JSON body that must pass <paramref name="validate"/> before anything is loaded.</summary>
    public StaffRule<T> Taking<T>(Func<T, ValidationErrors> validate)
        where T : class => new(this, JsonBody.DefaultMaxBytes, (body, _) => validate(body));

    /// <inheritdoc cref="Taking{T}(Func{T, ValidationErrors})"/>
    public StaffRule<T> Taking<T>(Func<T, StaffUser, ValidationErrors> validate)
        where T : class => new(this, JsonBody.DefaultMaxBytes, validate);
}

/// <summary>A <see cref="StaffRule"/> for a call with a JSON body: its size limit and the checks it passes before anything is loaded.</summary>
public sealed record StaffRule<T> : StaffRule
    where T : class
{
    internal StaffRule(StaffRule rule, int maxBytes, Func<T, StaffUser, ValidationErrors>? validate)
        : base(rule)
    {
        MaxBytes = maxBytes;
        Validate = validate;
    }

    public int MaxBytes { get; }

    public Func<T, StaffUser, ValidationErrors>? Validate { get; }
}

/// <summary>A row below the engagement that a call is about: whether the route's ids can name one, and how it is read.</summary>
public sealed record StaffSubject<T>(bool IsWellFormed, Func<CancellationToken, Task<T?>> LoadAsync)
    where T : class;

/// <summary>An admitted staff call, or (<see cref="Refused"/>) the problem to answer it with.</summary>
public abstract record StaffCall
{
    public IResult? Refused { get; init; }

    public StaffUser? User { get; init; }

    public string? EngagementId { get; init; }

    public string? IdempotencyKey { get; init; }

    /// <summary>The engagement as read (with its ETag), when the rule loads it.</summary>
    public EngagementRecord? Engagement { get; init; }

    /// <summary>The signed-in caller's name, as the trail records it.</summary>
    public string Caller => User?.Name ?? throw new InvalidOperationException("A refused call has no caller.");

    /// <summary>A new id, or with an idempotency key one derived from the engagement, the caller and the key.</summary>
    public string IdFor(string kind) => IdempotencyKey is null
        ? EngagementIds.New()
        : EngagementIds.FromIdempotencyKey($"{EngagementId}\n{kind}\n{Caller}", IdempotencyKey);
}

/// <summary>An admitted staff call with its JSON body.</summary>
public abstract record StaffCall<T> : StaffCall
    where T : class
{
    public T? Body { get; init; }
}

/// <summary>An admitted staff call with its JSON body and the row below the engagement it is about.</summary>
public sealed record StaffCall<T, TSubject> : StaffCall<T>
    where T : class
    where TSubject : class
{
    public TSubject? Subject { get; init; }
}
