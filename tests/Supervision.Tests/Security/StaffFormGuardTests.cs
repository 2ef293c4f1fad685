using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using Supervision.Domain.Staff;
using Supervision.Security;
using Supervision.Vendors;

namespace Supervision.Tests.Security;

/// <summary>The staff forms' protection against cross-site request forgery: a token only this site makes, for one user, for a while.</summary>
public sealed class StaffFormGuardTests
{
    private static readonly StaffUser Hanako = new("hanako@example.jp", new HashSet<StaffRole> { StaffRole.Supervisor });
    private static readonly StaffUser Mallory = new("mallory@example.jp", new HashSet<StaffRole> { StaffRole.Supervisor });
    private readonly Clock clock = new() { Now = new DateTimeOffset(2026, 12, 3, 9, 0, 0, TimeSpan.Zero) };

    private StaffFormGuard Guard(params string[] keys)
    {
        var options = new VendorLinkOptions();
        options.SigningKeys.AddRange(keys.Length > 0 ? keys : ["a-link-signing-key-of-at-least-32-chars"]);
        return new StaffFormGuard(Options.Create(options), clock);
    }

    private static HttpRequest Post(string? origin = null, string? fetchSite = null)
    {
        var context = new DefaultHttpContext();
        context.Request.Method = "POST";
        context.Request.Host = new HostString("127.0.0.1", 7071);
        if (origin is not null)
            context.Request.Headers.Origin = origin;
        if (fetchSite is not null)
            context.Request.Headers["Sec-Fetch-Site"] = fetchSite;
        return context.Request;
    }

    [Fact]
    public void TheTokenIssued_ToAUser_IsAccepted_FromThisSite()
    {
        StaffFormGuard guard = Guard();
        string token = guard.Issue(Hanako);

        Assert.Equal(FormRefusal.None, guard.Check(Post("http://127.0.0.1:7071", "same-origin"), token, Hanako));
        Assert.Equal(FormRefusal.None, guard.Check(Post(), token, Hanako));
    }

    [Fact]
    public void AToken_IsWorthless_ToAnotherUser_OrAltered_OrMissing()
    {
        StaffFormGuard guard = Guard();
        string token = guard.Issue(Hanako);

        Assert.Equal(FormRefusal.BadToken, guard.Check(Post(), token, Mallory));
        Assert.Equal(FormRefusal.BadToken, guard.Check(Post(), (long.Parse(token.Split('.')[0], System.Globalization.CultureInfo.InvariantCulture) + 3600) + "." + token.Split('.')[1], Hanako));
        Assert.Equal(FormRefusal.BadToken, guard.Check(Post(), "1234.not-a-mac", Hanako));
        Assert.Equal(FormRefusal.MissingToken, guard.Check(Post(), null, Hanako));
        Assert.Equal(FormRefusal.MissingToken, guard.Check(Post(), string.Empty, Hanako));
    }

    [Fact]
    public void AToken_Expires_AfterItsLifetime()
    {
        StaffFormGuard guard = Guard();
        string token = guard.Issue(Hanako);

        clock.Now += StaffFormGuard.Lifetime - TimeSpan.FromMinutes(1);
        Assert.Equal(FormRefusal.None, guard.Check(Post(), token, Hanako));
        clock.Now += TimeSpan.FromMinutes(2);
        Assert.Equal(FormRefusal.Expired, guard.Check(Post(), token, Hanako));
    }

    [Theory]
    [InlineData("https://attacker.example", null)]
    [InlineData("http://127.0.0.1:7072", null)]
    [InlineData("null", null)]
    [InlineData(null, "cross-site")]
    [InlineData(null, "same-site")]
    public void APost_FromAnotherSitesPage_IsRefused_EvenWithAGoodToken(string? origin, string? fetchSite)
    {
        StaffFormGuard guard = Guard();

        Assert.Equal(FormRefusal.OtherOrigin, guard.Check(Post(origin, fetchSite), guard.Issue(Hanako), Hanako));
    }

    [Fact]
    public void ATokenOfAKeyRotatedOut_StillVerifies_WhileTheKeyIsListed_AndNotAfter()
    {
        string token = Guard("the-old-link-signing-key-32-characters").Issue(Hanako);

        Assert.Equal(FormRefusal.None, Guard("the-new-link-signing-key-32-characters", "the-old-link-signing-key-32-characters").Check(Post(), token, Hanako));
        Assert.Equal(FormRefusal.BadToken, Guard("the-new-link-signing-key-32-characters").Check(Post(), token, Hanako));
    }

    private sealed class Clock : TimeProvider
    {
        public DateTimeOffset Now { get; set; }

        public override DateTimeOffset GetUtcNow() => Now;
    }
}
