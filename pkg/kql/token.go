package kql

// token is a lexical token kind.
type token int

const (
	tEOF token = iota
	tIllegal
	tIdent    // Name, also bracketed ['Name'], and negated words like !has
	tInt      // 123, 0x1f
	tReal     // 1.5, 1e3
	tString   // "a", 'a', @"a", h"a"; lit is the decoded value
	tTimespan // 1d, 30m; lit is the source text
	tTyped    // datetime(...), time(...), int(...) and friends; lit is "name(raw)"
	tPipe     // |
	tComma    // ,
	tSemi     // ;
	tLParen   // (
	tRParen   // )
	tLBrack   // [
	tRBrack   // ]
	tDotDot   // ..
	tDot      // .
	tAssign   // =
	tEq       // ==
	tNeq      // != or <>
	tLt       // <
	tLeq      // <=
	tGt       // >
	tGeq      // >=
	tEqTilde  // =~
	tNeqTilde // !~
	tPlus     // +
	tMinus    // -
	tStar     // *
	tSlash    // /
	tPercent  // %
	tColon    // :
	tBang     // ! on its own
)

var tokenNames = [...]string{
	tEOF: "<EOF>", tIllegal: "illegal", tIdent: "identifier", tInt: "integer", tReal: "real",
	tString: "string", tTimespan: "timespan", tTyped: "literal", tPipe: "|", tComma: ",",
	tSemi: ";", tLParen: "(", tRParen: ")", tLBrack: "[", tRBrack: "]", tDotDot: "..", tDot: ".",
	tAssign: "=", tEq: "==", tNeq: "!=", tLt: "<", tLeq: "<=", tGt: ">", tGeq: ">=",
	tEqTilde: "=~", tNeqTilde: "!~", tPlus: "+", tMinus: "-", tStar: "*", tSlash: "/",
	tPercent: "%", tColon: ":", tBang: "!",
}

func (t token) String() string {
	if int(t) < len(tokenNames) {
		return tokenNames[t]
	}
	return "token"
}
