using Supervision.Kernel;

namespace Supervision.Tests.Kernel;

public sealed class EngagementIdsTests
{
    private static bool IsLowercaseHex32(string id) =>
        id.Length == 32 && id.All(c => c is (>= '0' and <= '9') or (>= 'a' and <= 'f'));

    [Fact]
    public void FromIdempotencyKey_IsDeterministic_ForTheSameCallerAndKey()
    {
        string first = EngagementIds.FromIdempotencyKey("procurement-app", "order-42");
        string second = EngagementIds.FromIdempotencyKey("procurement-app", "order-42");

        Assert.Equal(first, second);
    }

    [Fact]
    public void FromIdempotencyKey_Differs_WhenCallersDiffer()
    {
        Assert.NotEqual(
            EngagementIds.FromIdempotencyKey("caller-a", "order-42"),
            EngagementIds.FromIdempotencyKey("caller-b", "order-42"));
    }

    [Fact]
    public void FromIdempotencyKey_Differs_WhenKeysDiffer()
    {
        Assert.NotEqual(
            EngagementIds.FromIdempotencyKey("caller", "order-42"),
            EngagementIds.FromIdempotencyKey("caller", "order-43"));
    }

    [Fact]
    public void FromIdempotencyKey_Differs_WhenTheBoundaryBetweenCallerAndKeyMoves()
    {
        // ("ab", "c") and ("a", "bc") must not collide just because their concatenations do.
        Assert.NotEqual(
            EngagementIds.FromIdempotencyKey("ab", "c"),
            EngagementIds.FromIdempotencyKey("a", "bc"));
    }

    [Fact]
    public void FromIdempotencyKey_Differs_WhenKeyCaseDiffers()
    {
        Assert.NotEqual(
            EngagementIds.FromIdempotencyKey("caller", "Order-42"),
            EngagementIds.FromIdempotencyKey("caller", "order-42"));
    }

    [Theory]
    [InlineData("caller", "order-42")]
    [InlineData("", "k")]
    [InlineData("調達", "キー")]
    public void FromIdempotencyKey_IsWellFormed(string caller, string key)
    {
        string id = EngagementIds.FromIdempotencyKey(caller, key);

        Assert.True(IsLowercaseHex32(id), id);
        Assert.True(EngagementIds.IsWellFormed(id));
    }

    [Fact]
    public void New_IsWellFormed()
    {
        string id = EngagementIds.New();

        Assert.True(IsLowercaseHex32(id), id);
        Assert.True(EngagementIds.IsWellFormed(id));
    }

    [Fact]
    public void New_IsUnique_AcrossManyCalls()
    {
        const int count = 1_000;
        HashSet<string> ids = [.. Enumerable.Range(0, count).Select(_ => EngagementIds.New())];

        Assert.Equal(count, ids.Count);
    }

    [Theory]
    [InlineData("0123456789abcdef0123456789abcdef")]
    [InlineData("00000000000000000000000000000000")]
    [InlineData("ffffffffffffffffffffffffffffffff")]
    public void IsWellFormed_Accepts_32LowercaseHexCharacters(string id)
    {
        Assert.True(EngagementIds.IsWellFormed(id));
    }

    [Theory]
    [InlineData("0123456789ABCDEF0123456789abcdef")] // uppercase
    [InlineData("0123456789abcdef0123456789abcdeF")] // one uppercase character
    [InlineData("0123456789abcdef0123456789abcde")] // 31
    [InlineData("0123456789abcdef0123456789abcdef0")] // 33
    [InlineData("0123456789abcdef0123456789abcdeg")] // non-hex letter
    [InlineData("01234567-89ab-cdef-0123-456789ab")] // hyphens
    [InlineData("0123456789abcdef0123456789abcde ")]
    [InlineData("０123456789abcdef0123456789abcdef")] // full-width digit
    [InlineData("")]
    [InlineData(null)]
    public void IsWellFormed_Rejects_AnythingButExactly32LowercaseHexCharacters(string? id)
    {
        Assert.False(EngagementIds.IsWellFormed(id));
    }

    [Fact]
    public void IsWellFormed_Rejects_AGuidWithHyphens()
    {
        Assert.False(EngagementIds.IsWellFormed(Guid.NewGuid().ToString("D")));
    }

    [Theory]
    [InlineData("a")]
    [InlineData("order-42")]
    [InlineData("!~")] // the ends of the visible ASCII range
    [InlineData("550e8400-e29b-41d4-a716-446655440000")]
    public void IsValidIdempotencyKey_Accepts_VisibleAscii(string key)
    {
        Assert.True(EngagementIds.IsValidIdempotencyKey(key));
    }

    [Fact]
    public void IsValidIdempotencyKey_Accepts_ExactlyTheMaximumLength()
    {
        Assert.True(EngagementIds.IsValidIdempotencyKey(new string('k', EngagementIds.MaxIdempotencyKeyLength)));
    }

    [Fact]
    public void IsValidIdempotencyKey_Rejects_OneMoreThanTheMaximumLength()
    {
        Assert.Equal(128, EngagementIds.MaxIdempotencyKeyLength);

        Assert.False(EngagementIds.IsValidIdempotencyKey(new string('k', 129)));
    }

    [Theory]
    [InlineData("")]
    [InlineData(" ")]
    [InlineData("order 42")]
    [InlineData(" order-42")]
    [InlineData("order-42\t")]
    [InlineData("order\n42")]
    [InlineData("order-４２")] // full-width digits
    [InlineData("注文-42")]
    [InlineData("café")]
    [InlineData("\u007f")] // DEL
    public void IsValidIdempotencyKey_Rejects_EmptySpacesControlAndNonAscii(string key)
    {
        Assert.False(EngagementIds.IsValidIdempotencyKey(key));
    }
}
