namespace CodeDoc.Pipeline;

/// <summary>
/// Glob matching with the semantics of git's <c>wildmatch.c</c>, so ignore rules decide exactly as git does.
/// Operates on byte strings (see <see cref="ByteString"/>): one char per UTF-8 byte, as git compares bytes.
/// </summary>
internal static class Wildmatch
{
    private enum Result
    {
        Match,
        NoMatch,
        AbortAll,
        AbortToStarStar,
    }

    /// <summary>Matches a text against a pattern.</summary>
    /// <param name="pattern">The glob.</param>
    /// <param name="text">The text.</param>
    /// <param name="pathName">Whether '*' and '?' stop at '/' (git's <c>WM_PATHNAME</c>).</param>
    /// <returns><see langword="true"/> on a match.</returns>
    public static bool IsMatch(ReadOnlySpan<char> pattern, ReadOnlySpan<char> text, bool pathName) =>
        DoWild(pattern, text, pathName) == Result.Match;

    // git's glob-special characters; a literal after '*' lets the matcher skip ahead quickly.
    private static bool IsGlobSpecial(char c) => c is '*' or '?' or '[' or '\\';

    // git's code reads past the end of a NUL-terminated string as '\0'; this mirrors that without a terminator.
    private static char At(ReadOnlySpan<char> s, int i) => i < s.Length ? s[i] : '\0';

    private static Result DoWild(ReadOnlySpan<char> pattern, ReadOnlySpan<char> text, bool pathName)
    {
        var p = 0;
        var t = 0;
        for (; p < pattern.Length; t++, p++)
        {
            var pCh = pattern[p];
            var tCh = At(text, t);
            if (tCh == '\0' && pCh != '*')
            {
                return Result.AbortAll;
            }

            switch (pCh)
            {
                case '\\':
                    // A literal match with the next character; a trailing backslash never matches.
                    pCh = At(pattern, ++p);
                    if (tCh != pCh)
                    {
                        return Result.NoMatch;
                    }

                    continue;

                case '?':
                    if (pathName && tCh == '/')
                    {
                        return Result.NoMatch;
                    }

                    continue;

                case '*':
                    {
                        var result = MatchStar(pattern, ref p, text, ref t, pathName, out var consumedSlash);
                        if (!consumedSlash)
                        {
                            return result;
                        }

                        continue;
                    }

                case '[':
                    if (!MatchClass(pattern, ref p, tCh, out var classResult))
                    {
                        return classResult;
                    }

                    if (pathName && tCh == '/')
                    {
                        return Result.NoMatch;
                    }

                    continue;

                default:
                    if (tCh != pCh)
                    {
                        return Result.NoMatch;
                    }

                    continue;
            }
        }

        return t < text.Length ? Result.NoMatch : Result.Match;
    }

    // Returns the final result of the match, or sets consumedSlash when a single '*' followed by '/' skipped to the
    // next directory and the caller's loop must go on (the slash is consumed by the loop's increment).
    private static Result MatchStar(ReadOnlySpan<char> pattern, ref int p, ReadOnlySpan<char> text, ref int t, bool pathName, out bool consumedSlash)
    {
        consumedSlash = false;
        bool matchSlash;
        if (At(pattern, ++p) == '*')
        {
            var prevP = p - 2;
            while (At(pattern, ++p) == '*')
            {
            }

            if (!pathName)
            {
                matchSlash = true;
            }
            else if ((prevP < 0 || pattern[prevP] == '/') &&
                (At(pattern, p) == '\0' || At(pattern, p) == '/' || (At(pattern, p) == '\\' && At(pattern, p + 1) == '/')))
            {
                // "**/" may match no directory at all: "foo/**/bar" matches "foo/bar".
                if (At(pattern, p) == '/' && DoWild(pattern[(p + 1)..], text[t..], pathName) == Result.Match)
                {
                    return Result.Match;
                }

                matchSlash = true;
            }
            else
            {
                matchSlash = false;
            }
        }
        else
        {
            matchSlash = !pathName;
        }

        if (At(pattern, p) == '\0')
        {
            // A trailing "**" matches everything; a trailing "*" only when no slash follows.
            return !matchSlash && text[t..].Contains('/') ? Result.NoMatch : Result.Match;
        }

        if (!matchSlash && At(pattern, p) == '/')
        {
            var slash = text[t..].IndexOf('/');
            if (slash < 0)
            {
                return Result.NoMatch;
            }

            t += slash;
            consumedSlash = true;
            return Result.NoMatch;
        }

        var tCh = At(text, t);
        while (true)
        {
            if (tCh == '\0')
            {
                break;
            }

            // A literal after the star: skip ahead to its next occurrence (never past a slash unless "**").
            if (!IsGlobSpecial(At(pattern, p)))
            {
                var literal = At(pattern, p);
                while ((tCh = At(text, t)) != '\0' && (matchSlash || tCh != '/'))
                {
                    if (tCh == literal)
                    {
                        break;
                    }

                    t++;
                }

                if (tCh != literal)
                {
                    return Result.NoMatch;
                }
            }

            var matched = DoWild(pattern[p..], text[t..], pathName);
            if (matched != Result.NoMatch)
            {
                if (!matchSlash || matched != Result.AbortToStarStar)
                {
                    return matched;
                }
            }
            else if (!matchSlash && tCh == '/')
            {
                return Result.AbortToStarStar;
            }

            tCh = At(text, ++t);
        }

        return Result.AbortAll;
    }

    // Matches a bracket expression at pattern[p] ('['); leaves p on its closing ']'. Returns false with the result
    // when the match ends here.
    private static bool MatchClass(ReadOnlySpan<char> pattern, ref int p, char tCh, out Result result)
    {
        result = Result.NoMatch;
        var pCh = At(pattern, ++p);
        if (pCh == '^')
        {
            pCh = '!';
        }

        var negated = pCh == '!';
        if (negated)
        {
            pCh = At(pattern, ++p);
        }

        var prevCh = '\0';
        var matched = false;
        do
        {
            if (pCh == '\0')
            {
                result = Result.AbortAll;
                return false;
            }

            if (pCh == '\\')
            {
                pCh = At(pattern, ++p);
                if (pCh == '\0')
                {
                    result = Result.AbortAll;
                    return false;
                }

                if (tCh == pCh)
                {
                    matched = true;
                }
            }
            else if (pCh == '-' && prevCh != '\0' && At(pattern, p + 1) != '\0' && At(pattern, p + 1) != ']')
            {
                pCh = At(pattern, ++p);
                if (pCh == '\\')
                {
                    pCh = At(pattern, ++p);
                    if (pCh == '\0')
                    {
                        result = Result.AbortAll;
                        return false;
                    }
                }

                if (tCh <= pCh && tCh >= prevCh)
                {
                    matched = true;
                }

                pCh = '\0'; // so the next character cannot start a range from this one
            }
            else if (pCh == '[' && At(pattern, p + 1) == ':')
            {
                var start = p += 2;
                while ((pCh = At(pattern, p)) != '\0' && pCh != ']')
                {
                    p++;
                }

                if (pCh == '\0')
                {
                    result = Result.AbortAll;
                    return false;
                }

                var length = p - start - 1;
                if (length < 0 || pattern[p - 1] != ':')
                {
                    // No ":]": the '[' is an ordinary member of the set.
                    p = start - 2;
                    pCh = '[';
                    if (tCh == pCh)
                    {
                        matched = true;
                    }

                    continue;
                }

                switch (MatchNamedClass(pattern.Slice(start, length), tCh))
                {
                    case true:
                        matched = true;
                        break;
                    case null:
                        result = Result.AbortAll;
                        return false;
                }

                pCh = '\0';
            }
            else if (tCh == pCh)
            {
                matched = true;
            }
        }
        while (AdvanceClass(pattern, ref p, ref pCh, ref prevCh));

        if (matched == negated)
        {
            result = Result.NoMatch;
            return false;
        }

        return true;
    }

    private static bool AdvanceClass(ReadOnlySpan<char> pattern, ref int p, ref char pCh, ref char prevCh)
    {
        prevCh = pCh;
        pCh = At(pattern, ++p);
        return pCh != ']';
    }

    // git's character classes over ASCII; null for an unknown class name (the whole match aborts, as in git).
    private static bool? MatchNamedClass(ReadOnlySpan<char> name, char c) => name switch
    {
        "alnum" => char.IsAsciiLetterOrDigit(c),
        "alpha" => char.IsAsciiLetter(c),
        "blank" => c is ' ' or '\t',
        "cntrl" => c < 0x20 || c == 0x7F,
        "digit" => char.IsAsciiDigit(c),
        "graph" => c > 0x20 && c < 0x7F,
        "lower" => char.IsAsciiLetterLower(c),
        "print" => c >= 0x20 && c < 0x7F,
        "punct" => c > 0x20 && c < 0x7F && !char.IsAsciiLetterOrDigit(c),
        "space" => c is ' ' or '\t' or '\n' or '\r',
        "upper" => char.IsAsciiLetterUpper(c),
        "xdigit" => char.IsAsciiHexDigit(c),
        _ => null,
    };
}
