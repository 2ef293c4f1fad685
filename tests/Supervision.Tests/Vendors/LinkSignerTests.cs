using System.Buffers.Text;
using Microsoft.Extensions.Options;
using Supervision.Domain.Vendors;
using Supervision.Vendors;

namespace Supervision.Tests.Vendors;

public sealed class LinkSignerTests
{
    private const string OldKey = "old-key-0123456789abcdef0123456789abcdef";
    private const string NewKey = "new-key-fedcba9876543210fedcba9876543210";
    private static readonly LinkClaims Claims = new("link1", "0123456789abcdef0123456789abcdef", "request1", LinkPurpose.Respond, new DateTimeOffset(2027, 1, 1, 0, 0, 0, TimeSpan.Zero));

    [Fact]
    public void TryRead_ReturnsTheSignedClaims_WhenTheTokenIsUntouched()
    {
        LinkSigner signer = Signer(NewKey);

        Assert.Equal(LinkVerdict.Valid, signer.TryRead(signer.Sign(Claims), out LinkClaims? claims));
        Assert.Equal(Claims, claims);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    public void TryRead_RefusesTheToken_WhenAnyPartIsChanged(int part)
    {
        LinkSigner signer = Signer(NewKey);
        string[] parts = signer.Sign(Claims).Split('.');
        parts[part] = part == 0 ? "v2" : Flip(parts[part]);

        LinkVerdict verdict = signer.TryRead(string.Join('.', parts), out LinkClaims? claims);

        Assert.NotEqual(LinkVerdict.Valid, verdict);
        Assert.Null(claims);
    }

    [Fact]
    public void TryRead_RefusesAPayloadFromAnotherLink_UnderThisLinksSignature()
    {
        LinkSigner signer = Signer(NewKey);
        string[] mine = signer.Sign(Claims).Split('.');
        string[] other = signer.Sign(Claims with { EngagementId = "fedcba9876543210fedcba9876543210" }).Split('.');

        Assert.Equal(LinkVerdict.Tampered, signer.TryRead($"{mine[0]}.{other[1]}.{mine[2]}", out _));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("v1.only-two")]
    [InlineData("v1.a.b.c")]
    [InlineData("v1.!!!.###")]
    public void TryRead_CallsTheTokenMalformed_WhenItIsNotThreeBase64UrlParts(string? token)
    {
        Assert.Equal(LinkVerdict.Malformed, Signer(NewKey).TryRead(token, out _));
    }

    [Fact]
    public void TryRead_StillAcceptsALinkSignedWithARotatedOutKey_UntilThatKeyIsRemoved()
    {
        string token = Signer(OldKey).Sign(Claims);

        Assert.Equal(LinkVerdict.Valid, Signer(NewKey, OldKey).TryRead(token, out _));
        Assert.Equal(LinkVerdict.Tampered, Signer(NewKey).TryRead(token, out _));
    }

    [Fact]
    public void Sign_UsesTheFirstKey_SoNewLinksOutliveTheOldKey()
    {
        string token = Signer(NewKey, OldKey).Sign(Claims);

        Assert.Equal(LinkVerdict.Valid, Signer(NewKey).TryRead(token, out _));
    }

    [Fact]
    public void Token_NamesNoKey_AndCarriesNoKeyMaterial()
    {
        string token = Signer(NewKey).Sign(Claims);

        Assert.DoesNotContain(NewKey, token, StringComparison.Ordinal);
        Assert.DoesNotContain("new-key", System.Text.Encoding.UTF8.GetString(Base64Url.DecodeFromChars(token.Split('.')[1])), StringComparison.Ordinal);
    }

    [Fact]
    public void Signer_RefusesAShortKey()
    {
        Assert.Throws<InvalidOperationException>(() => Signer("too-short"));
    }

    private static LinkSigner Signer(params string[] keys)
    {
        var options = new VendorLinkOptions();
        options.SigningKeys.AddRange(keys);
        return new LinkSigner(Options.Create(options));
    }

    private static string Flip(string part) => (part[0] == 'A' ? 'B' : 'A') + part[1..];
}
