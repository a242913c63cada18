//! The typed REST client (RRS, BES): one private send() choke point.
