//! Paginators: a [`Stream`] of the pages of a `@paginated` operation, and one of the items in
//! them. Generated code supplies the call (any implementation of the service trait, mocks
//! included) and how to move the token from an output to the next input.

use std::collections::{BTreeMap, VecDeque};
use std::pin::Pin;
use std::task::{Context, Poll};

use futures_core::Stream;

use crate::{BoxFuture, Error};

/// A pagination token: a string, or a map (DynamoDB's `ExclusiveStartKey`, the key of the item
/// to start after).
pub trait Token: PartialEq + ToOwned {
    /// Whether the token is empty, which ends the pages as much as no token does.
    fn is_empty(&self) -> bool;
}

impl Token for str {
    fn is_empty(&self) -> bool {
        str::is_empty(self)
    }
}

impl<K: PartialEq + Clone, V: PartialEq + Clone> Token for BTreeMap<K, V> {
    fn is_empty(&self) -> bool {
        BTreeMap::is_empty(self)
    }
}

/// How a paginator reads and writes one operation's tokens (of type `K`: `str` for most
/// operations) and page size.
pub struct Tokens<I, O, K: ?Sized + Token = str> {
    /// The operation's name in the model, for errors.
    pub operation: &'static str,
    /// Puts the token into the next input.
    pub set_input: fn(&mut I, K::Owned),
    /// The token the input carries, if any.
    pub input: fn(&I) -> Option<&K>,
    /// The output's token; absent or empty ends the pages.
    pub output: fn(&O) -> Option<&K>,
    /// Sets the input's page size, when the operation has one.
    pub page_size: Option<fn(&mut I, i32)>,
}

type Call<'a, I, O, E> = Box<dyn Fn(I) -> BoxFuture<'a, Result<O, Error<E>>> + Send + Sync + 'a>;
/// A request in flight, and the input it was sent with.
type InFlight<'a, I, O, E> = (BoxFuture<'a, Result<O, Error<E>>>, I);

/// The pages of a paginated operation, in order. An error is the last item. Ends when the
/// output has no token (or an empty one), after [`max_pages`](Self::max_pages), or with
/// [`Error::RepeatedToken`] when the service sends back the token it was given.
pub struct Pages<'a, I, O, E, K: ?Sized + Token = str> {
    call: Call<'a, I, O, E>,
    tokens: Tokens<I, O, K>,
    /// The input of the next request; `None` once the pages have ended.
    next: Option<I>,
    in_flight: Option<InFlight<'a, I, O, E>>,
    pages_left: Option<usize>,
}

impl<I, O, E, K: ?Sized + Token> std::fmt::Debug for Pages<'_, I, O, E, K> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Pages").field("operation", &self.tokens.operation).finish_non_exhaustive()
    }
}

impl<'a, I: Clone + Send + Unpin + 'a, O, E, K: ?Sized + Token> Pages<'a, I, O, E, K> {
    /// Pages starting with `input`, fetched with `call`.
    pub fn new(
        input: I,
        call: impl Fn(I) -> BoxFuture<'a, Result<O, Error<E>>> + Send + Sync + 'a,
        tokens: Tokens<I, O, K>,
    ) -> Self {
        Self { call: Box::new(call), tokens, next: Some(input), in_flight: None, pages_left: None }
    }

    /// Stops after `n` pages.
    pub fn max_pages(mut self, n: usize) -> Self {
        self.pages_left = Some(n);
        self
    }

    /// Asks for pages of at most `n` items (the operation's page size member); does nothing for
    /// an operation without one.
    pub fn page_size(mut self, n: i32) -> Self {
        if let (Some(set), Some(i)) = (self.tokens.page_size, &mut self.next) {
            set(i, n);
        }
        self
    }

    /// Changes the input of the requests still to be sent (for example its page size).
    pub fn map_input(mut self, f: impl FnOnce(&mut I)) -> Self {
        if let Some(i) = &mut self.next {
            f(i);
        }
        self
    }

    /// The items of each page, flattened, from `items` (the output's `items` member).
    pub fn items<T: Unpin, C: IntoIterator<Item = T>>(self, items: fn(O) -> C) -> Items<'a, I, O, E, T, C, K> {
        Items { pages: self, items, buffer: VecDeque::new(), items_left: None }
    }

    /// The next page, or `None` at the end.
    pub async fn next_page(&mut self) -> Option<Result<O, Error<E>>> {
        std::future::poll_fn(|cx| Pin::new(&mut *self).poll_next(cx)).await
    }

    /// Every page, or the first error.
    pub async fn collect_pages(mut self) -> Result<Vec<O>, Error<E>> {
        let mut out = Vec::new();
        while let Some(page) = self.next_page().await {
            out.push(page?);
        }
        Ok(out)
    }
}

impl<'a, I: Clone + Send + Unpin + 'a, O, E, K: ?Sized + Token> Stream for Pages<'a, I, O, E, K> {
    type Item = Result<O, Error<E>>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        // Nothing here is pinned in place: the futures are boxed.
        let this = self.get_mut();
        if this.in_flight.is_none() {
            if this.pages_left == Some(0) {
                this.next = None;
            }
            let Some(input) = this.next.take() else { return Poll::Ready(None) };
            let sent = input.clone();
            this.in_flight = Some(((this.call)(input), sent));
        }
        let (future, _) = this.in_flight.as_mut().expect("a request is in flight");
        let result = match future.as_mut().poll(cx) {
            Poll::Pending => return Poll::Pending,
            Poll::Ready(r) => r,
        };
        let (_, mut sent) = this.in_flight.take().expect("a request is in flight");
        if let Some(n) = &mut this.pages_left {
            *n -= 1;
        }
        let page = match result {
            Ok(page) => page,
            // An error ends the pages.
            Err(e) => return Poll::Ready(Some(Err(e))),
        };
        match (this.tokens.output)(&page).filter(|t| !t.is_empty()) {
            None => {}
            Some(token) if (this.tokens.input)(&sent) == Some(token) => {
                return Poll::Ready(Some(Err(Error::RepeatedToken { operation: this.tokens.operation })));
            }
            Some(token) => {
                (this.tokens.set_input)(&mut sent, token.to_owned());
                this.next = Some(sent);
            }
        }
        Poll::Ready(Some(Ok(page)))
    }
}

/// The items of a paginated operation's pages, flattened; an error is the last item. Ends with
/// the pages or after [`max_items`](Self::max_items).
pub struct Items<'a, I, O, E, T, C, K: ?Sized + Token = str> {
    pages: Pages<'a, I, O, E, K>,
    items: fn(O) -> C,
    buffer: VecDeque<T>,
    items_left: Option<usize>,
}

impl<I, O, E, T, C, K: ?Sized + Token> std::fmt::Debug for Items<'_, I, O, E, T, C, K> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Items").field("operation", &self.pages.tokens.operation).finish_non_exhaustive()
    }
}

impl<'a, I: Clone + Send + Unpin + 'a, O, E, T: Unpin, C: IntoIterator<Item = T>, K: ?Sized + Token>
    Items<'a, I, O, E, T, C, K>
{
    /// Stops after `n` items (fetching no page beyond the one that holds the last of them).
    pub fn max_items(mut self, n: usize) -> Self {
        self.items_left = Some(n);
        self
    }

    /// The next item, or `None` at the end.
    pub async fn next_item(&mut self) -> Option<Result<T, Error<E>>> {
        std::future::poll_fn(|cx| Pin::new(&mut *self).poll_next(cx)).await
    }

    /// Every item, or the first error.
    pub async fn collect_items(mut self) -> Result<Vec<T>, Error<E>> {
        let mut out = Vec::new();
        while let Some(item) = self.next_item().await {
            out.push(item?);
        }
        Ok(out)
    }
}

impl<'a, I: Clone + Send + Unpin + 'a, O, E, T: Unpin, C: IntoIterator<Item = T>, K: ?Sized + Token> Stream
    for Items<'a, I, O, E, T, C, K>
{
    type Item = Result<T, Error<E>>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = self.get_mut();
        loop {
            if this.items_left == Some(0) {
                return Poll::Ready(None);
            }
            if let Some(item) = this.buffer.pop_front() {
                if let Some(n) = &mut this.items_left {
                    *n -= 1;
                }
                return Poll::Ready(Some(Ok(item)));
            }
            match Pin::new(&mut this.pages).poll_next(cx) {
                Poll::Pending => return Poll::Pending,
                Poll::Ready(None) => return Poll::Ready(None),
                Poll::Ready(Some(Err(e))) => {
                    this.items_left = Some(0);
                    return Poll::Ready(Some(Err(e)));
                }
                Poll::Ready(Some(Ok(page))) => this.buffer.extend((this.items)(page)),
            }
        }
    }
}
