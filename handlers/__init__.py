"""One router per feature; thin: parse, call one service method, render, reply."""
