/*
 * The Conform expression language: derived columns, filters, checks and sequence keys.
 *
 * This is the one expression grammar. The DSL grammar (Conform.g4) imports it, and expressions
 * written in YAML are parsed with the same rules through the `standaloneExpression` entry rule.
 * Precedence, loosest first: OR, AND, NOT, predicates (comparison, IS NULL, IN, BETWEEN, LIKE),
 * ||, + -, * / %, unary minus, ::type.
 */
grammar Expression;

standaloneExpression : expression EOF ;

expression : orExpression ;

orExpression : andExpression (OR andExpression)* ;

andExpression : notExpression (AND notExpression)* ;

notExpression
  : NOT notExpression         # negation
  | predicate                 # predicateExpression
  ;

predicate : concatExpression predicateSuffix? ;

predicateSuffix
  : comparisonOperator concatExpression                         # comparison
  | IS NOT? NULL                                                # isNull
  | NOT? IN LPAREN expression (COMMA expression)* RPAREN         # inList
  | NOT? BETWEEN concatExpression AND concatExpression           # between
  | NOT? LIKE concatExpression                                  # like
  ;

comparisonOperator : EQ | NEQ | LT | LE | GT | GE ;

concatExpression : additiveExpression (CONCAT additiveExpression)* ;

additiveExpression : multiplicativeExpression ((PLUS | MINUS) multiplicativeExpression)* ;

multiplicativeExpression : unaryExpression ((STAR | SLASH | PERCENT) unaryExpression)* ;

unaryExpression
  : MINUS unaryExpression     # negative
  | castExpression            # castOrPrimary
  ;

castExpression : primary (DOUBLE_COLON typeName)* ;

primary
  : literal                                                                # literalPrimary
  | CAST LPAREN expression AS typeName RPAREN                              # castCall
  | CASE (WHEN expression THEN expression)+ (ELSE expression)? END          # caseExpression
  | identifier LPAREN (expression (COMMA expression)*)? RPAREN              # functionCall
  | LBRACKET (expression (COMMA expression)*)? RBRACKET                     # listExpression
  | identifier                                                             # columnReference
  | LPAREN expression RPAREN                                               # parenthesized
  ;

literal
  : NULL                      # nullLiteral
  | (TRUE | FALSE)            # booleanLiteral
  | STRING                    # stringLiteral
  | INTEGER_VALUE             # integerLiteral
  | DECIMAL_VALUE             # decimalLiteral
  | DATE STRING               # dateLiteral
  | TIMESTAMP STRING          # timestampLiteral
  ;

typeName : identifier (LPAREN INTEGER_VALUE (COMMA INTEGER_VALUE)? RPAREN)? ;

// The DSL grammar overrides this rule to let its own keywords be names too.
identifier : IDENTIFIER | QUOTED_IDENTIFIER | DATE | TIMESTAMP ;

// Keywords are case-insensitive.
NULL : N U L L ;
TRUE : T R U E ;
FALSE : F A L S E ;
NOT : N O T ;
AND : A N D ;
OR : O R ;
IS : I S ;
IN : I N ;
BETWEEN : B E T W E E N ;
LIKE : L I K E ;
CASE : C A S E ;
WHEN : W H E N ;
THEN : T H E N ;
ELSE : E L S E ;
END : E N D ;
CAST : C A S T ;
AS : A S ;
DATE : D A T E ;
TIMESTAMP : T I M E S T A M P ;

DOUBLE_COLON : '::' ;
CONCAT : '||' ;
EQ : '=' ;
NEQ : '<>' | '!=' ;
LE : '<=' ;
GE : '>=' ;
LT : '<' ;
GT : '>' ;
PLUS : '+' ;
MINUS : '-' ;
STAR : '*' ;
SLASH : '/' ;
PERCENT : '%' ;
LPAREN : '(' ;
RPAREN : ')' ;
LBRACKET : '[' ;
RBRACKET : ']' ;
COMMA : ',' ;
DOT : '.' ;

STRING : '\'' ( ~'\'' | '\'\'' )* '\'' ;
// A string missing its closing quote; the parser reports it with a readable message.
UNTERMINATED_STRING : '\'' ( ~['\r\n] | '\'\'' )* ;
DECIMAL_VALUE : DIGIT+ '.' DIGIT+ ;
INTEGER_VALUE : DIGIT+ ;
IDENTIFIER : [a-zA-Z_] [a-zA-Z_0-9]* ;
QUOTED_IDENTIFIER : '"' ( ~'"' | '""' )* '"' ;

LINE_COMMENT : ('--' | '#') ~[\r\n]* -> skip ;
WHITESPACE : [ \t\r\n]+ -> skip ;
// Anything else becomes a token so that the parser, not the lexer, reports it.
UNEXPECTED_CHARACTER : . ;

fragment DIGIT : [0-9] ;
fragment A : [aA] ;
fragment B : [bB] ;
fragment C : [cC] ;
fragment D : [dD] ;
fragment E : [eE] ;
fragment F : [fF] ;
fragment G : [gG] ;
fragment H : [hH] ;
fragment I : [iI] ;
fragment J : [jJ] ;
fragment K : [kK] ;
fragment L : [lL] ;
fragment M : [mM] ;
fragment N : [nN] ;
fragment O : [oO] ;
fragment P : [pP] ;
fragment Q : [qQ] ;
fragment R : [rR] ;
fragment S : [sS] ;
fragment T : [tT] ;
fragment U : [uU] ;
fragment V : [vV] ;
fragment W : [wW] ;
fragment X : [xX] ;
fragment Y : [yY] ;
fragment Z : [zZ] ;
