using Epsilon.Core.Auth;

namespace Epsilon.Builder.Auth;

/// <summary>
/// Set by <see cref="TokenAuthenticationMiddleware"/> on a call it refuses, so the audit log can say who was refused and
/// why. Never anything the caller sent: the token is the stored one, found by its secret's hash.
/// </summary>
/// <param name="Token">The stored token the call carried (revoked, or short of the scope); null when it carried none the store knows.</param>
/// <param name="Reason">Why, in a few words: <c>no token</c>, <c>unknown token</c>, <c>revoked token</c>, <c>read scope</c>.</param>
internal sealed record RefusedCall(ApiToken? Token, string Reason);
