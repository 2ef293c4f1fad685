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

    [Theory]
    [InlineData(" {0}")]
    [InlineData("{0} ")]
    [InlineData("{0}\n")]
    [InlineData("{0}=")]
    [InlineData("{0}==")]
    public void TryRead_AcceptsOnlyTheCanonicalSpelling_NoPaddingOrWhitespace(string variant)
    {
        LinkSigner signer = Signer(NewKey);
        string[] parts = signer.Sign(Claims).Split('.');

        Assert.Equal(LinkVerdict.Malformed, signer.TryRead($"{parts[0]}.{string.Format(System.Globalization.CultureInfo.InvariantCulture, variant, parts[1])}.{parts[2]}", out _));
        Assert.Equal(LinkVerdict.Malformed, signer.TryRead($"{parts[0]}.{parts[1]}.{string.Format(System.Globalization.CultureInfo.InvariantCulture, variant, parts[2])}", out _));
    }

    [Theory]
    [InlineData("""{"K":"{k}","L":"l","E":"e","R":"r","P":0,"X":99999999999999}""")]
    [InlineData("""{"K":"{k}","L":"l","E":"e","R":"r","P":0,"X":-62135596801}""")]
    [InlineData("""{"K":"{k}","L":"l","E":"e","R":"r","P":42,"X":1800000000}""")]
    [InlineData("""{"K":"{k}","E":"e","R":"r","P":0,"X":1800000000}""")]
    public void TryRead_CallsASignedPayloadOutOfRangeMalformed_InsteadOfThrowing(string payloadTemplate)
    {
        byte[] key = System.Text.Encoding.UTF8.GetBytes(NewKey);
        string keyId = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(key).AsSpan(0, 4));
        string signed = "v1." + Base64Url.EncodeToString(System.Text.Encoding.UTF8.GetBytes(payloadTemplate.Replace("{k}", keyId, StringComparison.Ordinal)));
        string token = signed + "." + Base64Url.EncodeToString(System.Security.Cryptography.HMACSHA256.HashData(key, System.Text.Encoding.ASCII.GetBytes(signed)));

        Assert.Equal(LinkVerdict.Malformed, Signer(NewKey).TryRead(token, out LinkClaims? claims));
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
